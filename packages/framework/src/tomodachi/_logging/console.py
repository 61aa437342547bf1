"""The ``console`` format: one readable line per event, coloured on a terminal.

    2024-05-01T12:00:00.123456Z [info     ] started service successfully   [tomodachi.lifecycle] state=ready

The timestamp, the level padded to 9, the message padded to 30, the logger in brackets, then the
fields as ``key=value``: strings as they are when they hold no blank or quote, other values by
``repr``, and ``*_location`` values in ``<...>``. An exception adds ``exc_type``, ``exc_message`` and
the ``tb_*`` fields to the line and prints its traceback below it.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from .colors import color_preference, is_terminal
from .event import record_event
from .tracebacks import exception_fields, format_traceback, real_exc_info

RESET = "\x1b[0m"
_DIM = "\x1b[2m"
_BRIGHT = "\x1b[1m"
_LOGGER = "\x1b[34m"
_KEY = "\x1b[36m"
_VALUE = "\x1b[35m"
_LEVELS = {
    "debug": "\x1b[34m",
    "info": "\x1b[32m",
    "warning": "\x1b[33m",
    "error": "\x1b[31m",
    "critical": "\x1b[31;1m",
}
_PLAIN_TEXT = re.compile(r"[^\s\"'\\]+")
_plain_text = _PLAIN_TEXT.fullmatch
_HEAD = frozenset({"timestamp", "level", "message", "logger"})


class ConsoleFormatter(logging.Formatter):
    """Formats records as console lines.

    Args:
        colors: ``True`` or ``False`` to force colours on or off; ``None`` (the default) reads the
            colour switches of the environment once, here (see ``colors``), and otherwise colours
            the output while the current ``sys.stderr`` is a terminal.
    """

    def __init__(self, colors: bool | None = None) -> None:
        super().__init__()
        self._colors = color_preference() if colors is None else colors

    def format(self, record: logging.LogRecord) -> str:
        """Return the line (and traceback) of ``record``."""
        event = record_event(record)
        exc_info = real_exc_info(record.exc_info)
        if exc_info is not None:
            event.update(exception_fields(exc_info, full=False))
        colors = self._colors if self._colors is not None else is_terminal(sys.stderr)
        text = render_line(event, colors=colors)
        if exc_info is not None:
            text = f"{text}\n{format_traceback(exc_info)}"
        if record.stack_info:
            text = f"{text}\n{record.stack_info}"
        return text


def render_line(event: dict[str, Any], *, colors: bool) -> str:
    """Return the console line of an event dict (see the module docstring)."""
    timestamp = event.get("timestamp", "")
    level = str(event.get("level", ""))
    message = str(event.get("message", ""))
    logger = event.get("logger", "")
    if not colors:
        parts = [f"{timestamp} [{level:<9}] {message:<30} [{logger}]"]
        for key, value in event.items():
            if key not in _HEAD:
                parts.append(f"{key}={format_value(key, value)}")
        return " ".join(parts)
    level_color = _LEVELS.get(level, "")
    parts = [
        f"{_DIM}{timestamp}{RESET} [{level_color}{level:<9}{RESET}] "
        f"{_BRIGHT}{message:<30}{RESET} [{_LOGGER}{logger}{RESET}]"
    ]
    for key, value in event.items():
        if key not in _HEAD:
            parts.append(f"{_KEY}{key}{RESET}={_VALUE}{format_value(key, value)}{RESET}")
    return " ".join(parts)


def format_value(key: str, value: Any) -> str:
    """Return how a field's value is written on a console line."""
    if not isinstance(value, str):
        return repr(value)
    if key.endswith("_location"):
        return f"<{value}>"
    return value if _plain_text(value) else repr(value)
