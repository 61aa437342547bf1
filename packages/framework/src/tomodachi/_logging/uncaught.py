"""The one line written for an uncaught exception."""

from __future__ import annotations

from typing import Any

from .context import get_logger
from .names import EXCEPTION


def log_uncaught_exception(exc: BaseException, **fields: Any) -> None:
    """Log ``exc`` on the ``exception`` logger at level error as ``uncaught exception: <str(exc)>``.

    The record carries the exception (type, value and traceback), so the formats add their
    exception fields and handlers such as Sentry's get it whole.

    Args:
        exc: The exception.
        **fields: More fields for the line.
    """
    get_logger(EXCEPTION).error(f"uncaught exception: {exc}", exc_info=exc, stacklevel=2, **fields)
