"""Operational events that transports report and observers (metrics, readiness, tests) receive.

A transport calls ``emit("message.retried", transport="amqp", queue=...)`` where something happens
that an operator counts or a probe depends on; ``observe(callback)`` subscribes. With no observer,
``emit`` is one truth test. It lives here, the lowest library every transport depends on, so that
transports report without importing the facade or OpenTelemetry.

Events and their fields (every event has ``transport`` and ``service``, the service instance or None):

- ``connection.lost`` / ``connection.restored``: a broker connection dropped / is back (``broker``).
- ``consumer.started`` / ``consumer.stopped``: a transport began / stopped receiving.
- ``message.retried``: a failed message will be delivered again (``queue``).
- ``message.dead_lettered``: a message went to its dead-letter queue (``queue``, ``reason``).
- ``message.unparseable``: a message could not be parsed (``queue``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

Observer = Callable[[str, Mapping[str, Any]], None]

_observers: list[Observer] = []
_logger = logging.getLogger("tomodachi.events")


def observe(observer: Observer) -> Callable[[], None]:
    """Call ``observer(event, fields)`` for every event emitted from now on.

    Args:
        observer: A plain function; it runs in the emitting task and must return at once.

    Returns:
        A function that unsubscribes the observer (calling it twice is harmless).
    """
    _observers.append(observer)

    def unsubscribe() -> None:
        if observer in _observers:
            _observers.remove(observer)

    return unsubscribe


def observed() -> bool:
    """Whether any observer listens, for emitters that would have to compute fields first."""
    return bool(_observers)


def emit(event: str, /, **fields: Any) -> None:
    """Report ``event`` to every observer; an observer that raises is logged and skipped.

    Args:
        event: The event's name (see the module docstring).
        **fields: What the observers need to know about it.
    """
    if not _observers:
        return
    for observer in tuple(_observers):
        try:
            observer(event, fields)
        except Exception:
            _logger.exception("event observer failed", extra={"event": event})
