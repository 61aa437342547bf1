"""The shapes an envelope produces and the protocols a custom envelope implements."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol, TypedDict


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


class ParsedMessage(NamedTuple):
    """The result of ``parse_message``: a tuple, so ``message, uuid, ts = ...`` works as in tomodachi."""

    message: EnvelopeMessage
    message_uuid: str
    timestamp: float

    @property
    def data(self) -> Any:
        """The decoded data of the message."""
        return self.message["data"]


@dataclass(frozen=True, slots=True)
class ServiceIdentity:
    """Names the sending service when there is no tomodachi service object, e.g. in a script."""

    name: str
    uuid: str


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
