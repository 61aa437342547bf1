"""Where a message goes when it cannot be handled: a retry queue for a while, or the dead-letter queue.

A failed message is copied, with publisher confirms, to ``<queue>.retry.<ms>``, a queue without
consumers whose messages expire after ``<ms>`` (per-message TTL) and are then dead-lettered by
RabbitMQ straight back to ``<queue>`` through the default exchange. One retry queue per delay keeps
every message of a queue on the same TTL, so none waits behind a longer one. Once the retry policy's
attempts are used up, or when the body cannot be parsed at all, the copy goes to ``<queue>.dlq``.
The original is acked only after the broker has confirmed the copy; if the copy cannot be made,
the original goes back to its queue. Nothing is dropped on the way.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._values import Delivery

ATTEMPTS_HEADER = "tomodachi-failed-attempts"
ERROR_HEADER = "tomodachi-error"
FAILED_AT_HEADER = "tomodachi-failed-at"
QUEUE_HEADER = "tomodachi-queue"
EXCHANGE_HEADER = "tomodachi-original-exchange"
ROUTING_KEY_HEADER = "tomodachi-original-routing-key"

_ERROR_TEXT_LIMIT = 2000
_KEPT_PROPERTIES = (
    "content_type",
    "content_encoding",
    "priority",
    "correlation_id",
    "reply_to",
    "message_id",
    "timestamp",
    "message_type",
    "app_id",
)


def failed_attempts(delivery: Delivery) -> int:
    """Return how many times the message failed before this delivery (0 for a first delivery)."""
    headers = getattr(delivery.properties, "headers", None) or {}
    value = headers.get(ATTEMPTS_HEADER, 0)
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def error_text(exc: BaseException) -> str:
    """Return ``"<ExceptionType>: <message>"``, cut to a header's reasonable size."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text[:_ERROR_TEXT_LIMIT]


def copy_properties(
    delivery: Delivery, *, queue: str, attempts: int, error: str, expiration_ms: int | None
) -> dict[str, Any]:
    """Return the properties of the copy: the original's, persistent, with the failure in headers.

    Args:
        delivery: The failed delivery.
        queue: The queue the message failed in.
        attempts: Failed attempts so far, this one included.
        error: The error, as ``error_text`` writes it.
        expiration_ms: The per-message TTL of a retry copy; ``None`` for the dead-letter queue.

    Returns:
        The properties to publish the copy with.
    """
    original = delivery.properties
    properties: dict[str, Any] = {}
    for name in _KEPT_PROPERTIES:
        value = getattr(original, name, None)
        if value is not None:
            properties[name] = value
    headers = dict(getattr(original, "headers", None) or {})
    headers.pop("x-death", None)  # RabbitMQ's record of the retry queue's expiry; attempts are counted here
    headers.setdefault(EXCHANGE_HEADER, delivery.exchange)
    headers.setdefault(ROUTING_KEY_HEADER, delivery.routing_key)
    headers[QUEUE_HEADER] = queue
    headers[ATTEMPTS_HEADER] = attempts
    headers[ERROR_HEADER] = error
    headers[FAILED_AT_HEADER] = datetime.datetime.now(datetime.UTC).isoformat()
    properties["headers"] = headers
    properties["delivery_mode"] = 2
    if expiration_ms is not None:
        properties["expiration"] = str(expiration_ms)
    return properties
