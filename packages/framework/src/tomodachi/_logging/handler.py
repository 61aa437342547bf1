"""The one root handler: each record rendered, then written to whatever ``sys.stderr`` is right then.

Looking ``sys.stderr`` up at each record (instead of keeping the stream it had at start) lets tests
and tools that swap ``sys.stderr`` see the lines.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

Render = Callable[[logging.LogRecord], str | None]
"""Turns a record into its text, or ``None`` when nothing is to be written (disabled, custom)."""


class StderrHandler(logging.Handler):
    """Writes ``render(record)`` and a newline to the current ``sys.stderr``.

    Args:
        render: Renders a record; a ``logging.Formatter``'s ``format`` will do.
        name: The format name, kept for inspection.
    """

    def __init__(self, render: Render, name: str) -> None:
        super().__init__()
        self.render = render
        self.format_name = name

    def emit(self, record: logging.LogRecord) -> None:
        """Render ``record`` and write it; errors go to ``handleError`` as with stdlib handlers."""
        try:
            text = self.render(record)
            stream = sys.stderr
            if text is None or stream is None:
                return
            stream.write(text + "\n")
            stream.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.format_name} ({logging.getLevelName(self.level)})>"
