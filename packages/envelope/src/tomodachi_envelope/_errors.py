"""Errors raised by tomodachi_envelope.

EnvelopeError
 ├── EnvelopeBuildError (also TypeError)     data that the envelope cannot carry
 ├── EnvelopeParseError (also ValueError)    a payload that is not a message of this envelope
 │    ├── MalformedPayloadError              not JSON / not base64 / not a protobuf envelope / wrong shape
 │    ├── UnsupportedProtocolError           a protocol version this envelope does not speak
 │    └── DataDecodeError                    the data field does not decode (base64, zlib, JSON, protobuf)
 ├── ProtoClassError (also TypeError)        ProtobufBase used without a usable proto_class
 └── MissingExtraError (also ImportError)    an optional dependency is not installed
"""

from __future__ import annotations


class EnvelopeError(Exception):
    """Base class of every error raised by tomodachi_envelope."""


class EnvelopeBuildError(EnvelopeError, TypeError):
    """The data given to ``build_message`` cannot be carried by the envelope."""


class EnvelopeParseError(EnvelopeError, ValueError):
    """The payload given to ``parse_message`` is not a message of the envelope."""


class MalformedPayloadError(EnvelopeParseError):
    """The payload is not JSON / base64 / a protobuf envelope, or lacks a required field."""


class UnsupportedProtocolError(EnvelopeParseError):
    """The payload names a protocol version that the envelope does not speak."""


class DataDecodeError(EnvelopeParseError):
    """The envelope is well formed, but its data field does not decode."""


class ProtoClassError(EnvelopeError, TypeError):
    """ProtobufBase was used without a protobuf message class as ``proto_class``."""


class MissingExtraError(EnvelopeError, ImportError):
    """An optional dependency is missing; the message says what to install."""
