"""The shapes an envelope produces and the protocols a custom envelope implements.

Typing-only names: the package imports this module lazily, so ``import tomodachi_envelope`` stays free
of the typing module's import cost.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, Protocol, TypedDict


class ServiceInfo(TypedDict):
    """The sending service, as carried in every message."""

    name: str | None
    uuid: str | None


class MessageMetadata(TypedDict):
    """Metadata carried in every message."""

    message_uuid: str
    protocol_version: str
    timestamp: float
    topic: str
    data_encoding: str


class EnvelopeMessage(TypedDict):
    """A parsed message: what a handler's ``service``, ``metadata`` and ``data`` keywords receive."""

    service: ServiceInfo
    metadata: MessageMetadata
    data: Any


class Envelope(Protocol):
    """A synchronous envelope, such as ``JsonBase`` and ``ProtobufBase`` of this library.

    ``build_message`` is given the sending service (any object with ``name`` and ``uuid`` attributes),
    the topic or routing key (``""`` when sending straight to an SQS queue), the data and, depending on
    the transport, keywords such as ``message_attributes`` (a dict the envelope may change in place).
    ``parse_message`` is given the payload and, when the handler's decorator got extra keywords
    (``proto_class=...``), those keywords. It returns ``(message, message_uuid, timestamp)``; a
    ``message`` of ``False`` tells the transport that the payload belongs to another envelope.

    An envelope may also offer ``validate(**decorator_kwargs)``, called once when a handler is
    registered; it raises when the handler's keywords cannot work with the envelope.
    """

    def build_message(self, service: Any, topic: str, data: Any, /, **kwargs: Any) -> str: ...

    def parse_message(self, payload: str, /, **kwargs: Any) -> tuple[Any, str | None, float | None]: ...


class AsyncEnvelope(Protocol):
    """The same contract with coroutine methods, as tomodachi's custom envelopes are written."""

    def build_message(self, service: Any, topic: str, data: Any, /, **kwargs: Any) -> Awaitable[str]: ...

    def parse_message(
        self, payload: str, /, **kwargs: Any
    ) -> Awaitable[tuple[Any, str | None, float | None]]: ...
