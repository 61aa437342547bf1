"""The ``json`` format: one JSON object per line.

    {"timestamp": "2024-05-01T12:00:00.123456Z", "logger": "my.app", "level": "info", "message": "hi", "n": 1}

Keys come in the order ``timestamp, logger, level, message``, then the fields as given, then the
exception fields (``exception``, ``exc_type``, ``exc_message``, ``tb_module_name``,
``tb_function_name``, ``tb_location``, ``stacktrace``) and ``stack`` for ``stack_info``. Values that
JSON cannot hold are written as their ``repr``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from .event import record_event
from .tracebacks import exception_fields, real_exc_info

# One encoder for every line: ``json.dumps(event, default=repr)`` would build a new one per call.
_ENCODER = json.JSONEncoder(default=repr)


class JsonFormatter(logging.Formatter):
    """Formats records as one-line JSON objects."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the JSON line of ``record``."""
        event = record_event(record)
        exc_info = real_exc_info(record.exc_info)
        if exc_info is not None:
            event.update(exception_fields(exc_info, full=True))
        if record.stack_info:
            event["stack"] = record.stack_info
        return dumps(event)


def dumps(event: dict[str, Any]) -> str:
    """Return ``event`` as one line of JSON, writing what JSON cannot hold as its ``repr``."""
    try:
        return _ENCODER.encode(event)
    except (TypeError, ValueError):
        # A dict with keys JSON refuses, or a value that refers to itself: fall back field by field.
        return json.dumps({key: _field(value) for key, value in event.items()}, default=repr)


def _field(value: Any) -> Any:
    try:
        json.dumps(value, default=repr)
    except (TypeError, ValueError):
        return repr(value)
    return value
