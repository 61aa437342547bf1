"""The event dict of a log record: ``timestamp, logger, level, message``, then the fields.

Two kinds of records arrive at the root handler. Records from ``Logger`` carry their fields in the
``logger.context`` attribute. Plain stdlib records (from our transport libraries or from any other
library) carry theirs as ``extra=`` attributes: the fields of a record on the ``tomodachi`` logger
tree are used as they are (that is how the transport libraries write their lines), those of any
other library's record are nested under ``"extra"``. Fields bound with ``structlog.contextvars``
come before both. The four first keys cannot be overridden by a field, ``event_`` and ``class_``
are written as ``event`` and ``class``, and fields whose value is ``...`` are left out.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

from .levels import level_name
from .names import CONTEXT_ATTRIBUTE

CORE_KEYS = frozenset({"timestamp", "logger", "level", "message"})

_RENAMED = {"event_": "event", "class_": "class"}
RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "taskName",
    CONTEXT_ATTRIBUTE,
}

_last_second: tuple[int, str] = (-1, "")

EventProcessor = Callable[[Any, str, MutableMapping[str, Any]], Any]

EVENT_PROCESSORS: list[EventProcessor] = []
"""structlog-style processors ``(logger, method_name, event) -> event`` that add fields to the event of
every console and json line, run in the task that logs (OpenTelemetry's trace ids go in this way)."""


def format_timestamp(created: float) -> str:
    """Return ``created`` (seconds since the epoch) as UTC ISO 8601 with microseconds and ``Z``."""
    global _last_second
    second = int(created)
    micro = int((created - second) * 1_000_000)
    cached_second, prefix = _last_second
    if cached_second != second:
        prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _last_second = (second, prefix)
    return f"{prefix}.{micro:06d}Z"


def is_own_logger(name: str) -> bool:
    """Tell whether ``name`` is on the ``tomodachi`` logger tree."""
    return name == "tomodachi" or name.startswith("tomodachi.")


def record_event(record: logging.LogRecord) -> dict[str, Any]:
    """Return the event dict of ``record``, without exception fields.

    Args:
        record: Any log record.

    Returns:
        A new dict: ``timestamp``, ``logger``, ``level`` (lower-case) and ``message``, then the
        fields in the order they were given.
    """
    attributes = vars(record)
    name = record.name
    bound: dict[str, Any] | None = None
    contextvars = sys.modules.get("structlog.contextvars")
    if contextvars is not None:
        bound = contextvars.get_contextvars()
    fields: Mapping[str, Any]
    skipped: frozenset[str] = frozenset()
    context = attributes.get(CONTEXT_ATTRIBUTE)
    if isinstance(context, Mapping):
        fields = {**bound, **context} if bound else context
        own_name = context.get("logger")
        if isinstance(own_name, str):
            name = own_name
    elif not bound and is_own_logger(name):
        # the usual record of a transport library: its extras are read from the record in one pass
        fields, skipped = attributes, RECORD_ATTRIBUTES
    else:
        extras = {key: value for key, value in attributes.items() if key not in RECORD_ATTRIBUTES}
        if not extras:
            fields = bound or {}
        elif is_own_logger(name):
            fields = {**bound, **extras} if bound else extras
        else:
            fields = {**bound, "extra": extras} if bound else {"extra": extras}
    event: dict[str, Any] = {
        "timestamp": format_timestamp(record.created),
        "logger": name,
        "level": level_name(record.levelno, record.levelname),
        "message": record.getMessage(),
    }
    for key, value in fields.items():
        if value is Ellipsis or key in skipped:
            continue
        if key in _RENAMED:
            key = _RENAMED[key]
        if key not in CORE_KEYS:
            event[key] = value
    for process in EVENT_PROCESSORS:
        event = process(None, event["level"], event)
    return event
