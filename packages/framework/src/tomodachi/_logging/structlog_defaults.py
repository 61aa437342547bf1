"""Plain ``structlog.get_logger()`` calls, routed like tomodachi's own loggers.

While tomodachi's logging is configured, and unless the program configured structlog itself,
structlog's defaults hand out ``Logger`` objects on stdlib loggers, so their events are formatted
like every other line. (structlog's own ``LoggerFactory`` is not used: it swaps the logger class of
the whole stdlib ``logging`` module.)
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import structlog

from .logger import Logger


def stdlib_logger(*args: Any) -> logging.Logger:
    """Return the stdlib logger named by the first argument, else by the calling module."""
    if args:
        return logging.getLogger(str(args[0]))
    frame = sys._getframe(1)
    while frame.f_back is not None and str(frame.f_globals.get("__name__", "")).startswith("structlog"):
        frame = frame.f_back
    return logging.getLogger(str(frame.f_globals.get("__name__", "")) or None)


def install() -> None:
    """Route structlog's defaults through ``Logger``, unless structlog is configured already."""
    if structlog.is_configured():
        return
    structlog.configure(
        processors=[],
        logger_factory=stdlib_logger,
        wrapper_class=Logger,
        cache_logger_on_first_use=False,
    )


def uninstall() -> None:
    """Restore structlog's defaults if ``install`` set them."""
    if structlog.is_configured() and structlog.get_config().get("wrapper_class") is Logger:
        structlog.reset_defaults()
