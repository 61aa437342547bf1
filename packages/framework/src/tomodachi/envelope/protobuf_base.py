"""``tomodachi.envelope.protobuf_base``: ProtobufBase with coroutine methods."""

from __future__ import annotations

from typing import Any

import tomodachi_envelope
from tomodachi_envelope import ProtobufBase as _SyncProtobufBase

PROTOCOL_VERSION = tomodachi_envelope.PROTOBUF_PROTOCOL_VERSION


class ProtobufBase:
    """tomodachi's protobuf envelope (``tomodachi-protobuf-base--1.0.0``), with coroutine methods.

    Handlers give the message class as ``proto_class`` (and optionally a ``validator``). Needs
    protobuf: ``pip install 'tomodachi[protobuf]'``.
    """

    PROTOCOL_VERSION = PROTOCOL_VERSION

    @classmethod
    def validate(cls, **kwargs: Any) -> None:
        _SyncProtobufBase.validate(**kwargs)

    @classmethod
    async def build_message(cls, service: Any, topic: str, data: Any, **kwargs: Any) -> str:
        return _SyncProtobufBase.build_message(service, topic, data, **kwargs)

    @classmethod
    async def parse_message(
        cls, payload: str, proto_class: Any = None, validator: Any = None, **kwargs: Any
    ) -> tuple[Any, str | None, float | None]:
        return _SyncProtobufBase.parse_message(
            payload, proto_class=proto_class, validator=validator, **kwargs
        )


def __getattr__(name: str) -> Any:
    if name == "SNSSQSMessage":
        from tomodachi_envelope._protobuf_outer import outer_message_class

        return outer_message_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["PROTOCOL_VERSION", "ProtobufBase", "SNSSQSMessage"]  # noqa: F822 - SNSSQSMessage is lazy
