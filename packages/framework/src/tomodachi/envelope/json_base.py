"""``tomodachi.envelope.json_base``: JsonBase with coroutine methods, as tomodachi services use it."""

from __future__ import annotations

from typing import Any

import tomodachi_envelope

PROTOCOL_VERSION = tomodachi_envelope.JSON_PROTOCOL_VERSION

_build = tomodachi_envelope.JsonBase.build_message
_parse = tomodachi_envelope.JsonBase.parse_message


class JsonBase:
    """tomodachi's JSON envelope (``tomodachi-json-base--1.0.0``).

    The same wire format as ``tomodachi_envelope.JsonBase``, with ``build_message`` and
    ``parse_message`` as coroutines, so custom envelopes that subclass it and ``await
    super().build_message(...)`` keep working.
    """

    PROTOCOL_VERSION = PROTOCOL_VERSION

    @classmethod
    async def build_message(cls, service: Any, topic: str, data: Any, **kwargs: Any) -> str:
        return _build(service, topic, data, **kwargs)

    @classmethod
    async def parse_message(cls, payload: str, **kwargs: Any) -> tuple[Any, str | None, float | None]:
        return _parse(payload, **kwargs)


__all__ = ["PROTOCOL_VERSION", "JsonBase"]
