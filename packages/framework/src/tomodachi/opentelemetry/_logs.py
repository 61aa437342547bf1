"""Trace ids on log lines, and log records sent to an OpenTelemetry logger provider."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import MutableMapping
from typing import Any

from opentelemetry import trace

from tomodachi._logging.event import EVENT_PROCESSORS, record_event
from tomodachi._logging.levels import parse_level

LOGGER_NAMES = ("tomodachi", "exception")


def add_trace_ids(logger: Any, method_name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: ``span_id``, ``trace_id`` (and ``parent_span_id``) as hex while a span is active.

    Args:
        logger: Unused (structlog's processor signature).
        method_name: Unused.
        event: The event dict; changed in place.

    Returns:
        The event dict.
    """
    span = trace.get_current_span()
    span_context = span.get_span_context()
    if span_context.is_valid:
        event["span_id"] = format(span_context.span_id, "016x")
        event["trace_id"] = format(span_context.trace_id, "032x")
        parent = getattr(span, "parent", None)
        if parent is not None and parent.is_valid:
            event["parent_span_id"] = format(parent.span_id, "016x")
    return event


def enable_trace_ids() -> None:
    """Add :func:`add_trace_ids` to the console and json formats (once)."""
    if add_trace_ids not in EVENT_PROCESSORS:
        EVENT_PROCESSORS.append(add_trace_ids)


def disable_trace_ids() -> None:
    """Take :func:`add_trace_ids` out of the console and json formats."""
    while add_trace_ids in EVENT_PROCESSORS:
        EVENT_PROCESSORS.remove(add_trace_ids)


def _handler_class() -> Any:
    from opentelemetry.sdk._logs import LoggingHandler

    class TomodachiLoggingHandler(LoggingHandler):
        """Sends records to OpenTelemetry with the tomodachi context fields as log attributes."""

        @staticmethod
        def _get_attributes(record: logging.LogRecord) -> Any:
            attributes = {
                key: value
                for key, value in (LoggingHandler._get_attributes(record) or {}).items()
                if isinstance(value, str | bool | int | float)
            }
            for key, value in record_event(record).items():
                if key in ("timestamp", "message", "level"):
                    continue
                if isinstance(value, str | bool | int | float):
                    attributes[key] = value
                else:
                    attributes[key] = repr(value)
            return attributes

    return TomodachiLoggingHandler


def attach_logging_handler(logger_provider: Any) -> list[tuple[logging.Logger, logging.Handler]]:
    """Send the records of the ``tomodachi`` and ``exception`` loggers to ``logger_provider``.

    The level comes from ``OTEL_LOG_LEVEL`` (default: every record the loggers let through).

    Args:
        logger_provider: An OpenTelemetry SDK logger provider.

    Returns:
        The (logger, handler) pairs attached, for :func:`detach_logging_handler`.
    """
    level_value = os.environ.get("OTEL_LOG_LEVEL", "").strip().lower()
    level = parse_level(level_value) if level_value else logging.NOTSET
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's handler is deprecated, not gone
        handler = _handler_class()(level=level, logger_provider=logger_provider)
    attached = []
    for name in LOGGER_NAMES:
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        attached.append((logger, handler))
    return attached


def detach_logging_handler(attached: list[tuple[logging.Logger, logging.Handler]]) -> None:
    """Remove what :func:`attach_logging_handler` attached, flushing it first."""
    for logger, handler in attached:
        logger.removeHandler(handler)
    for handler in {handler for _, handler in attached}:
        handler.flush()
