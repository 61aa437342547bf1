"""The AMQP 0-9-1 frames sent for every message, encoded with ``struct`` alone.

A publish is three frames (``basic.publish``, the content header, the body) and every handled
message is acked with a ``basic.ack`` frame; general-purpose encoders cost more than the rest of the
transport's work per message, so these few are written out here. ``_client`` falls back to the
general encoder for properties other than the persistent delivery mode alone.
"""

from __future__ import annotations

import struct

from ._errors import AmqpConfigurationError

FRAME_END = b"\xce"
_METHOD, _HEADER, _BODY = 1, 2, 3
_BASIC = 60
_PUBLISH, _ACK = 40, 80
_DELIVERY_MODE_FLAG = 1 << 12

_FRAME_HEAD = struct.Struct(">BHI")
_ACK_FRAME = struct.Struct(">BHIHHQB")
_HEADER_PERSISTENT = struct.Struct(">BHIHHQHB")


def ack_frame(channel: int, delivery_tag: int) -> bytes:
    """Return a ``basic.ack`` frame for one delivery (``multiple`` off)."""
    return _ACK_FRAME.pack(_METHOD, channel, 13, _BASIC, _ACK, delivery_tag, 0) + FRAME_END


def _short_string(value: str) -> bytes:
    encoded = value.encode("utf-8")
    if len(encoded) > 255:
        raise AmqpConfigurationError(f"AMQP short string longer than 255 bytes: {value[:40]!r}...")
    return bytes((len(encoded),)) + encoded


def publish_method_frame(channel: int, exchange: str, routing_key: str) -> bytes:
    """Return a ``basic.publish`` frame (not mandatory, not immediate)."""
    payload = (
        struct.pack(">HHH", _BASIC, _PUBLISH, 0)
        + _short_string(exchange)
        + _short_string(routing_key)
        + b"\0"
    )
    return _FRAME_HEAD.pack(_METHOD, channel, len(payload)) + payload + FRAME_END


def persistent_header_frame(channel: int, body_size: int) -> bytes:
    """Return the content header of a persistent message with no other property (delivery mode 2)."""
    return (
        _HEADER_PERSISTENT.pack(_HEADER, channel, 15, _BASIC, 0, body_size, _DELIVERY_MODE_FLAG, 2)
        + FRAME_END
    )


def body_frames(channel: int, body: bytes, frame_max: int) -> list[bytes]:
    """Return the body frames of a message, each within the connection's ``frame_max``."""
    size = frame_max - 8  # the frame's own type, channel, size and end
    return [
        _FRAME_HEAD.pack(_BODY, channel, len(chunk)) + chunk + FRAME_END
        for chunk in (body[i : i + size] for i in range(0, len(body), size))
    ]
