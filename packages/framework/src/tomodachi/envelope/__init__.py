"""``tomodachi.envelope``: the JsonBase and ProtobufBase envelopes, with coroutine methods.

These wrap ``tomodachi_envelope`` (synchronous, usable without the framework) so that services and
custom envelopes written for tomodachi keep working unchanged.
"""

from __future__ import annotations

from . import json_base as json_base
from .json_base import JsonBase as JsonBase


def __getattr__(name: str) -> object:
    if name in ("ProtobufBase", "protobuf_base"):
        import importlib

        module = importlib.import_module(".protobuf_base", __name__)
        return module if name == "protobuf_base" else module.ProtobufBase
    raise AttributeError(f"module 'tomodachi.envelope' has no attribute {name!r}")


__all__ = ["JsonBase", "ProtobufBase", "json_base", "protobuf_base"]
