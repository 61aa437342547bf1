"""The outer message of ProtobufBase, encoded and decoded with the standard library.

The schema (proto3, package ``proto``), as tomodachi defines it::

    message Service  { string name = 1; string uuid = 2; }
    message Metadata { string message_uuid = 1; string protocol_version = 2; double timestamp = 3;
                       string topic = 4; string data_encoding = 5; }
    message SNSSQSMessage { Service service = 1; Metadata metadata = 2; bytes data = 3; }

Writing it by hand keeps the envelope free of generated code (which ties itself to one protobuf
runtime) and lets envelopes be read without protobuf installed. Fields are written in field-number
order and proto3 defaults are left out, as the protobuf runtime does, so the bytes match its output.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ._errors import MalformedPayloadError

_VARINT, _FIXED64, _LENGTH_DELIMITED, _FIXED32 = 0, 1, 2, 5
_DOUBLE = struct.Struct("<d")


@dataclass(slots=True)
class OuterMessage:
    """The decoded outer message; every field holds its proto3 default when absent."""

    service_name: str = ""
    service_uuid: str = ""
    message_uuid: str = ""
    protocol_version: str = ""
    timestamp: float = 0.0
    topic: str = ""
    data_encoding: str = ""
    data: bytes = b""


def _varint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _length_delimited(field: int, payload: bytes) -> bytes:
    return _varint(field << 3 | _LENGTH_DELIMITED) + _varint(len(payload)) + payload


def _string_field(field: int, value: str) -> bytes:
    return _length_delimited(field, value.encode("utf-8")) if value else b""


def encode(message: OuterMessage) -> bytes:
    """Serialises the outer message to protobuf wire bytes."""
    service = _string_field(1, message.service_name) + _string_field(2, message.service_uuid)
    metadata = b"".join(
        (
            _string_field(1, message.message_uuid),
            _string_field(2, message.protocol_version),
            _varint(3 << 3 | _FIXED64) + _DOUBLE.pack(message.timestamp) if message.timestamp else b"",
            _string_field(4, message.topic),
            _string_field(5, message.data_encoding),
        )
    )
    data = _length_delimited(3, message.data) if message.data else b""
    return _length_delimited(1, service) + _length_delimited(2, metadata) + data


def _read_varint(buffer: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(buffer):
            raise MalformedPayloadError("ProtobufBase payload ends inside a varint")
        byte = buffer[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7
        if shift > 63:
            raise MalformedPayloadError("ProtobufBase payload has a varint longer than 10 bytes")


def _fields(buffer: bytes) -> list[tuple[int, int, int | bytes]]:
    """(field number, wire type, value) for each field; fixed-width values come back as bytes."""
    fields: list[tuple[int, int, int | bytes]] = []
    position, end = 0, len(buffer)
    while position < end:
        key, position = _read_varint(buffer, position)
        field, wire_type = key >> 3, key & 7
        value: int | bytes
        if wire_type == _VARINT:
            value, position = _read_varint(buffer, position)
        elif wire_type in (_FIXED64, _FIXED32):
            size = 8 if wire_type == _FIXED64 else 4
            value, position = buffer[position : position + size], position + size
        elif wire_type == _LENGTH_DELIMITED:
            size, position = _read_varint(buffer, position)
            value, position = buffer[position : position + size], position + size
        else:
            raise MalformedPayloadError(f"ProtobufBase payload uses unsupported wire type {wire_type}")
        if position > end or field == 0:
            raise MalformedPayloadError("ProtobufBase payload is truncated or not a protobuf message")
        fields.append((field, wire_type, value))
    return fields


def _text(value: int | bytes, wire_type: int, name: str) -> str:
    if wire_type != _LENGTH_DELIMITED or not isinstance(value, bytes):
        raise MalformedPayloadError(f"ProtobufBase field {name} has the wrong wire type")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedPayloadError(f"ProtobufBase field {name} is not UTF-8 text") from exc


def _submessage(value: int | bytes, wire_type: int, name: str) -> bytes:
    if wire_type != _LENGTH_DELIMITED or not isinstance(value, bytes):
        raise MalformedPayloadError(f"ProtobufBase field {name} has the wrong wire type")
    return value


def decode(buffer: bytes) -> OuterMessage:
    """Parses protobuf wire bytes into the outer message; unknown fields are skipped.

    Raises:
        MalformedPayloadError: the bytes are not a protobuf message of this shape.
    """
    message = OuterMessage()
    for field, wire_type, value in _fields(buffer):
        if field == 1:
            for inner, inner_type, inner_value in _fields(_submessage(value, wire_type, "service")):
                if inner == 1:
                    message.service_name = _text(inner_value, inner_type, "service.name")
                elif inner == 2:
                    message.service_uuid = _text(inner_value, inner_type, "service.uuid")
        elif field == 2:
            _decode_metadata(_submessage(value, wire_type, "metadata"), message)
        elif field == 3:
            message.data = _submessage(value, wire_type, "data")
    return message


def _decode_metadata(buffer: bytes, message: OuterMessage) -> None:
    for field, wire_type, value in _fields(buffer):
        if field == 1:
            message.message_uuid = _text(value, wire_type, "metadata.message_uuid")
        elif field == 2:
            message.protocol_version = _text(value, wire_type, "metadata.protocol_version")
        elif field == 3:
            if wire_type != _FIXED64 or not isinstance(value, bytes):
                raise MalformedPayloadError("ProtobufBase field metadata.timestamp is not a double")
            message.timestamp = _DOUBLE.unpack(value)[0]
        elif field == 4:
            message.topic = _text(value, wire_type, "metadata.topic")
        elif field == 5:
            message.data_encoding = _text(value, wire_type, "metadata.data_encoding")
