"""ProtobufBase: tomodachi's protobuf envelope, as tomodachi 0.29 writes it."""

from __future__ import annotations

import binascii
import zlib

from ._errors import (
    DataDecodeError,
    EnvelopeBuildError,
    MalformedPayloadError,
    ProtoClassError,
    UnsupportedProtocolError,
)
from ._identity import PROTOBUF_PROTOCOL_VERSION, message_uuid_for, now
from ._protobuf_outer import outer_message_class
from ._protobuf_support import protobuf_decode_error, protobuf_message_class
from ._values import ParsedMessage

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar

    from ._types import EnvelopeMessage

# Serialised data larger than this many bytes travels zlib-compressed.
COMPRESSION_THRESHOLD = 60000

_ACCEPTED_VERSION_PREFIX = "tomodachi-protobuf-base--1."


def _decompress(data: bytes) -> bytes:
    try:
        return zlib.decompress(data, 47)
    except zlib.error as exc:
        raise DataDecodeError(f"ProtobufBase message data does not decompress: {exc}") from exc


def _log_validation_failure(exc: Exception) -> None:
    import logging  # only on this rare path: it keeps the import of the library light

    logging.getLogger("tomodachi.envelope").warning(
        "message data failed validation: %s", exc, extra={"envelope": "ProtobufBase"}
    )


def _unbase64(data: bytes | str) -> bytes:
    try:
        return binascii.a2b_base64(data, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise DataDecodeError(f"ProtobufBase message data is not valid base64: {exc}") from exc


# How each data_encoding turns the data field into the serialised inner message.
# "base64" and "base64_gzip_proto" are older encodings, still read.
_UNPACK: dict[str, Callable[[bytes], bytes]] = {
    "proto": lambda data: data,
    "gzip_proto": _decompress,
    "base64": _unbase64,
    "base64_gzip_proto": lambda data: _decompress(_unbase64(data)),
}


def _check_proto_class(proto_class: Any) -> None:
    message_class = protobuf_message_class()
    if not (isinstance(proto_class, type) and issubclass(proto_class, message_class)):
        raise ProtoClassError(
            f"ProtobufBase needs proto_class to be a generated protobuf message class, got {proto_class!r}"
        )


def _decode_data(data: bytes, data_encoding: str, proto_class: Any) -> Any:
    if data_encoding == "raw" or proto_class is None:
        return data
    _check_proto_class(proto_class)
    unpack = _UNPACK.get(data_encoding)
    if unpack is None:
        raise DataDecodeError(f"ProtobufBase message has an unknown data_encoding: {data_encoding!r}")
    obj = proto_class()
    try:
        obj.ParseFromString(unpack(data))
    except protobuf_decode_error() as exc:
        raise DataDecodeError(
            f"ProtobufBase message data does not decode as {proto_class.__name__}: {exc}"
        ) from exc
    return obj


class ProtobufBase:
    """The protobuf envelope of tomodachi services.

    The wire form is an outer protobuf message (service, metadata, data bytes), base64 encoded with the
    standard alphabet. ``data`` is a protobuf message of the caller's; when serialised it is larger than
    60,000 bytes it travels zlib-compressed (``data_encoding`` ``gzip_proto``). Handlers name the class to
    decode with through ``proto_class``, and may add a ``validator`` callable.

    It needs protobuf: ``pip install 'tomodachi-envelope[protobuf]'``.
    """

    PROTOCOL_VERSION: ClassVar[str] = PROTOBUF_PROTOCOL_VERSION

    @classmethod
    def validate(cls, **kwargs: Any) -> None:
        """Checks a handler's decorator keywords once, when the handler is registered.

        Raises:
            ProtoClassError: ``proto_class`` is missing or not a protobuf message class.
            MissingExtraError: protobuf is not installed.
        """
        if "proto_class" not in kwargs:
            raise ProtoClassError("ProtobufBase needs a proto_class keyword: the message class to decode")
        _check_proto_class(kwargs["proto_class"])

    @classmethod
    def build_message(cls, service: Any, topic: str, data: Any, /, **kwargs: Any) -> str:
        """Wraps a protobuf message in an envelope.

        Args:
            service: the sender; any object with ``name`` and ``uuid`` attributes.
            topic: the topic or routing key; ``""`` for a direct SQS send.
            data: a protobuf message.
            **kwargs: transport keywords such as ``message_attributes``; ignored.

        Returns:
            The message text: the base64 (standard alphabet) of the outer protobuf message.

        Raises:
            EnvelopeBuildError: ``data`` is not a protobuf message, or does not serialise.
            MissingExtraError: protobuf is not installed.
        """
        if not isinstance(data, protobuf_message_class()):
            raise EnvelopeBuildError(f"ProtobufBase carries protobuf messages, not {type(data).__name__}")
        try:
            serialised: bytes = data.SerializeToString()
        except Exception as exc:
            raise EnvelopeBuildError(f"ProtobufBase could not serialise the data: {exc}") from exc
        data_encoding = "proto"
        if len(serialised) > COMPRESSION_THRESHOLD:
            serialised = zlib.compress(serialised)
            data_encoding = "gzip_proto"
        outer = outer_message_class()()
        outer.service.name = str(getattr(service, "name", None) or "")
        outer.service.uuid = str(getattr(service, "uuid", None) or "")
        metadata = outer.metadata
        metadata.message_uuid = message_uuid_for(service)
        metadata.protocol_version = PROTOBUF_PROTOCOL_VERSION
        metadata.timestamp = now()
        metadata.topic = topic
        metadata.data_encoding = data_encoding
        outer.data = serialised
        return binascii.b2a_base64(outer.SerializeToString(), newline=False).decode("ascii")

    @classmethod
    def parse_message(
        cls,
        payload: str | bytes,
        /,
        proto_class: Any = None,
        validator: Callable[[Any], Any] | None = None,
        **kwargs: Any,
    ) -> ParsedMessage:
        """Reads a message built by ``build_message`` (here or by tomodachi 0.29).

        Args:
            payload: the base64 message text.
            proto_class: the protobuf message class of the data; without it, ``data`` is the raw bytes.
            validator: called with the decoded data; what it raises is logged as a warning on the
                ``tomodachi.envelope`` logger and raised again.
            **kwargs: other transport or decorator keywords; ignored.

        Returns:
            ``ParsedMessage(message, message_uuid, timestamp)``.

        Raises:
            MalformedPayloadError: the payload is not base64 or not a protobuf envelope.
            UnsupportedProtocolError: the message names an unknown protocol version.
            DataDecodeError: the data does not decode with ``proto_class``.
            ProtoClassError: ``proto_class`` is not a protobuf message class.
            MissingExtraError: protobuf is not installed.
        """
        try:
            buffer = binascii.a2b_base64(payload, strict_mode=True)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise MalformedPayloadError(f"ProtobufBase payload is not base64: {exc}") from exc
        outer = outer_message_class()()
        try:
            outer.ParseFromString(buffer)
        except protobuf_decode_error() as exc:
            raise MalformedPayloadError(f"ProtobufBase payload is not a protobuf envelope: {exc}") from exc
        service, metadata = outer.service, outer.metadata
        version: str = metadata.protocol_version
        if not version.startswith(_ACCEPTED_VERSION_PREFIX):
            raise UnsupportedProtocolError(
                f"ProtobufBase cannot read protocol_version {version!r} "
                f"(expected {PROTOBUF_PROTOCOL_VERSION!r})"
            )
        data_encoding: str = metadata.data_encoding
        data = _decode_data(outer.data, data_encoding, proto_class)
        if validator is not None:
            try:
                validator(data)
            except Exception as exc:
                _log_validation_failure(exc)
                raise
        message_uuid: str = metadata.message_uuid
        timestamp: float = metadata.timestamp
        message: EnvelopeMessage = {
            "service": {"name": service.name, "uuid": service.uuid},
            "metadata": {
                "message_uuid": message_uuid,
                "protocol_version": version,
                "timestamp": timestamp,
                "topic": metadata.topic,
                "data_encoding": data_encoding,
            },
            "data": data,
        }
        return ParsedMessage(message, message_uuid, timestamp)
