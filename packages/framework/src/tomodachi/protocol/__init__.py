"""Older name of ``tomodachi.envelope``, kept so that existing imports work."""

from __future__ import annotations


def __getattr__(name: str) -> object:
    if name in ("JsonBase", "ProtobufBase"):
        from tomodachi import envelope

        return getattr(envelope, name)
    raise AttributeError(f"module 'tomodachi.protocol' has no attribute {name!r}")


__all__ = ["JsonBase", "ProtobufBase"]
