"""JsonBase: tomodachi's JSON envelope, byte for byte as tomodachi 0.29 writes it."""

from __future__ import annotations

import binascii
import zlib

from ._errors import DataDecodeError, EnvelopeBuildError, MalformedPayloadError, UnsupportedProtocolError
from ._identity import JSON_PROTOCOL_VERSION, message_uuid_for, now
from ._json_codec import dumps, loads
from ._values import ParsedMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

# Data whose JSON text reaches this many characters travels zlib-compressed and base64 encoded.
COMPRESSION_THRESHOLD = 60000

RAW = "raw"
BASE64_GZIP_JSON = "base64_gzip_json"

# json.dumps of the whole message with default separators, written out once: building it with
# "%" costs one encoding of the data instead of two.
_MESSAGE_TEMPLATE = (
    '{"service": {"name": %s, "uuid": %s}, "metadata": {"message_uuid": %s, '
    '"protocol_version": "' + JSON_PROTOCOL_VERSION + '", '
    '"compatible_protocol_versions": ["json_base-wip"], '
    '"timestamp": %r, "topic": %s, "data_encoding": "%s"}, "data": %s}'
)

# Versions this parser reads: its own major version, and the name used before 1.0.0.
_ACCEPTED_VERSION_PREFIX = "tomodachi-json-base--1."
_ACCEPTED_LEGACY_VERSIONS = frozenset({"json_base-wip"})


def encode_data(data: Any) -> tuple[str, str]:
    """The JSON text to put in the message's data field, and its data_encoding."""
    try:
        text = dumps(data)
    except (TypeError, ValueError, RecursionError) as exc:
        raise EnvelopeBuildError(f"JsonBase cannot carry this data: {exc}") from exc
    if len(text) < COMPRESSION_THRESHOLD:
        return text, RAW
    packed = binascii.b2a_base64(zlib.compress(text.encode("utf-8")), newline=False).decode("ascii")
    return f'"{packed}"', BASE64_GZIP_JSON


def decode_data(data: Any, data_encoding: Any) -> Any:
    """The data a message carries, from its data field and data_encoding."""
    if data_encoding == RAW:
        return data
    if data_encoding != BASE64_GZIP_JSON:
        raise DataDecodeError(f"JsonBase message has an unknown data_encoding: {data_encoding!r}")
    if not isinstance(data, str):
        raise DataDecodeError("JsonBase message with base64_gzip_json encoding has no base64 text as data")
    try:
        packed = binascii.a2b_base64(data, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise DataDecodeError(f"JsonBase message data is not valid base64: {exc}") from exc
    try:
        # wbits=47 reads both zlib streams (what tomodachi writes) and real gzip streams.
        text = zlib.decompress(packed, 47).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise DataDecodeError(f"JsonBase message data does not decompress: {exc}") from exc
    try:
        return loads(text)
    except ValueError as exc:
        raise DataDecodeError(f"JsonBase message data is not JSON after decompressing: {exc}") from exc


def _object(value: Any, what: str) -> dict[str, Any]:
    if type(value) is not dict:
        raise MalformedPayloadError(f"JsonBase message has no {what} object")
    return value


def _check_version(version: Any) -> str:
    if isinstance(version, str) and (
        version.startswith(_ACCEPTED_VERSION_PREFIX) or version in _ACCEPTED_LEGACY_VERSIONS
    ):
        return version
    raise UnsupportedProtocolError(
        f"JsonBase cannot read protocol_version {version!r} (expected {JSON_PROTOCOL_VERSION!r})"
    )


class JsonBase:
    """The JSON envelope of tomodachi services.

    The wire form is a JSON object with ``service`` (name, uuid), ``metadata`` (message_uuid,
    protocol_version, timestamp, topic, data_encoding) and ``data``. Data whose JSON text is 60,000
    characters or more is sent zlib-compressed and base64 encoded (``data_encoding`` ``base64_gzip_json``).
    Services on tomodachi 0.29 read what this writes, and the other way round.

    The methods are synchronous; ``tomodachi.envelope.JsonBase`` offers the same as coroutines.
    """

    PROTOCOL_VERSION: ClassVar[str] = JSON_PROTOCOL_VERSION

    @classmethod
    def build_message(cls, service: Any, topic: str, data: Any, /, **kwargs: Any) -> str:
        """Wraps ``data`` in an envelope.

        Args:
            service: the sender; any object with ``name`` and ``uuid`` attributes (a ``ServiceIdentity``
                in scripts, the service instance in a tomodachi service).
            topic: the topic or routing key the message is sent to; ``""`` for a direct SQS send.
            data: any value ``json.dumps`` accepts.
            **kwargs: transport keywords such as ``message_attributes``; ignored.

        Returns:
            The message text (ASCII-only JSON).

        Raises:
            EnvelopeBuildError: ``data`` is not JSON serialisable.
        """
        data_text, data_encoding = encode_data(data)
        return _MESSAGE_TEMPLATE % (
            dumps(getattr(service, "name", None)),
            dumps(getattr(service, "uuid", None)),
            dumps(message_uuid_for(service)),
            now(),
            dumps(topic),
            data_encoding,
            data_text,
        )

    @classmethod
    def parse_message(cls, payload: str | bytes, /, **kwargs: Any) -> ParsedMessage:
        """Reads a message built by ``build_message`` (here or by tomodachi 0.29).

        Args:
            payload: the message text.
            **kwargs: transport or decorator keywords; ignored.

        Returns:
            ``ParsedMessage(message, message_uuid, timestamp)``, where ``message`` holds ``service``,
            ``metadata`` and the decoded ``data``.

        Raises:
            MalformedPayloadError: the payload is not JSON or lacks the envelope's fields.
            UnsupportedProtocolError: the message names an unknown protocol version.
            DataDecodeError: the data field does not decode.
        """
        try:
            loaded = loads(payload)
        except (ValueError, TypeError) as exc:
            raise MalformedPayloadError(f"JsonBase payload is not JSON: {exc}") from exc
        envelope = _object(loaded, "top-level")
        metadata = _object(envelope.get("metadata"), "metadata")
        service = _object(envelope.get("service"), "service")
        _check_version(metadata.get("protocol_version"))
        if "data" not in envelope:
            raise MalformedPayloadError("JsonBase message has no data field")
        data = decode_data(envelope["data"], metadata.get("data_encoding"))
        message_uuid = metadata.get("message_uuid")
        timestamp = metadata.get("timestamp")
        if type(message_uuid) is not str:
            raise MalformedPayloadError("JsonBase message has no message_uuid string in its metadata")
        if type(timestamp) is not float and type(timestamp) is not int:
            raise MalformedPayloadError("JsonBase message has no numeric timestamp in its metadata")
        # The parsed dicts are fresh, so they are reused; the deprecated version list is dropped.
        metadata.pop("compatible_protocol_versions", None)
        if "topic" not in metadata:
            metadata["topic"] = None
        if len(service) != 2 or "name" not in service or "uuid" not in service:
            service = {"name": service.get("name"), "uuid": service.get("uuid")}
        message: Any = {"service": service, "metadata": metadata, "data": data}
        return ParsedMessage(message, message_uuid, timestamp)
