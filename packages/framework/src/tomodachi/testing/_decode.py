"""Turning published payloads back into the data a service sent: the envelope's view of a message."""

from __future__ import annotations

import inspect
import json
from typing import Any


def envelope_of(instance: Any) -> Any:
    """The envelope a service instance publishes with (``message_envelope``), or ``None``."""
    if instance is None:
        return None
    envelope = getattr(instance, "message_envelope", None)
    return envelope if envelope is not None else getattr(instance, "message_protocol", None)


def _synchronous(envelope: Any) -> Any:
    """The synchronous envelope behind the facade's coroutine ``JsonBase``/``ProtobufBase`` (and
    subclasses that keep their ``parse_message``), else ``envelope`` itself."""
    import tomodachi_envelope
    from tomodachi.envelope.json_base import JsonBase
    from tomodachi.envelope.protobuf_base import ProtobufBase

    parse = getattr(getattr(envelope, "parse_message", None), "__func__", None)
    if parse is getattr(JsonBase.parse_message, "__func__", None):
        return tomodachi_envelope.JsonBase
    if parse is getattr(ProtobufBase.parse_message, "__func__", None):
        return tomodachi_envelope.ProtobufBase
    return envelope


def decode_payload(payload: str | bytes, envelope: Any) -> Any:
    """The data in ``payload``: what ``envelope.parse_message`` finds, or the JSON (else the text) of a
    payload sent without an envelope.

    Args:
        payload: The SNS message, SQS body or AMQP body.
        envelope: A synchronous envelope, the facade's ``JsonBase``/``ProtobufBase``, or ``None``.

    Returns:
        The ``data`` of the parsed envelope message (the whole parsed message when it has no ``data``).

    Raises:
        TypeError: the envelope's ``parse_message`` is a coroutine function (a tomodachi 0.29 custom
            envelope): pass a synchronous one.
        Exception: whatever the envelope raises for a payload it cannot parse.
    """
    if envelope is None:
        text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
        try:
            return json.loads(text)
        except ValueError:
            return text
    envelope = _synchronous(envelope)
    parse = envelope.parse_message
    if inspect.iscoroutinefunction(parse):
        raise TypeError(
            f"{envelope!r} parses asynchronously; give a synchronous envelope (envelope=JsonBase)"
        )
    text = payload.decode("utf-8") if isinstance(payload, bytes) else payload
    parsed = parse(text)
    message = parsed[0] if isinstance(parsed, tuple) else parsed
    if isinstance(message, dict) and "data" in message:
        return message["data"]
    return message
