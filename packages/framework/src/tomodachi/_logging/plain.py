"""The ``python`` format: the plain stdlib layout, with UTC ISO times and lower-case levels.

    2024-05-01T12:00:00.123456Z [info     ] started service successfully   [tomodachi.lifecycle]

That is ``%(asctime)s [%(levelname)-9s] %(message)-30s [%(name)s]``: fields are not written. A
traceback or stack follows the line as the stdlib formatter writes them.
"""

from __future__ import annotations

import logging

from .event import format_timestamp
from .levels import level_name
from .tracebacks import format_traceback, real_exc_info


class PythonFormatter(logging.Formatter):
    """Formats records in the plain stdlib layout."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the line (and traceback) of ``record``."""
        level = level_name(record.levelno, record.levelname)
        text = f"{format_timestamp(record.created)} [{level:<9}] {record.getMessage():<30} [{record.name}]"
        exc_info = real_exc_info(record.exc_info)
        if exc_info is not None:
            text = f"{text}\n{format_traceback(exc_info)}"
        if record.stack_info:
            text = f"{text}\n{record.stack_info}"
        return text
