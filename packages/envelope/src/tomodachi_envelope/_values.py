"""The two value types of the library, written without typing's runtime to keep the import light."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._types import EnvelopeMessage


class ParsedMessage(tuple["EnvelopeMessage", str, float]):
    """The result of ``parse_message``: a tuple, so ``message, uuid, ts = ...`` works as in tomodachi.

    ``message`` holds ``service`` (name, uuid), ``metadata`` (message_uuid, protocol_version,
    timestamp, topic, data_encoding) and the decoded ``data``.
    """

    __slots__ = ()

    def __new__(cls, message: EnvelopeMessage, message_uuid: str, timestamp: float) -> ParsedMessage:
        return tuple.__new__(cls, (message, message_uuid, timestamp))

    @property
    def message(self) -> EnvelopeMessage:
        return self[0]

    @property
    def message_uuid(self) -> str:
        return self[1]

    @property
    def timestamp(self) -> float:
        return self[2]

    @property
    def data(self) -> Any:
        """The decoded data of the message."""
        return self[0]["data"]

    def __repr__(self) -> str:
        return f"ParsedMessage(message={self[0]!r}, message_uuid={self[1]!r}, timestamp={self[2]!r})"


class ServiceIdentity:
    """Names the sending service when there is no tomodachi service object, e.g. in a script."""

    __slots__ = ("name", "uuid")

    def __init__(self, name: str, uuid: str) -> None:
        self.name = name
        self.uuid = uuid

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ServiceIdentity):
            return NotImplemented
        return (self.name, self.uuid) == (other.name, other.uuid)

    def __hash__(self) -> int:
        return hash((self.name, self.uuid))

    def __repr__(self) -> str:
        return f"ServiceIdentity(name={self.name!r}, uuid={self.uuid!r})"
