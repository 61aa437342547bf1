"""One handler run inside a span, counted as active meanwhile and timed into a duration histogram."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from ._telemetry import Instruments


async def run_measured(
    call: Callable[[], Awaitable[Any]],
    *,
    tracer: Tracer,
    instruments: Instruments,
    name: str,
    kind: SpanKind,
    attributes: Mapping[str, Any],
    metric_attributes: Mapping[str, Any],
    context: Context | None = None,
) -> Any:
    """Await ``call()`` in a span named ``name``; an exception is recorded on the span (status ERROR)
    and raised again; the duration is recorded with ``error`` true or false.

    Returns:
        What ``call()`` returned.
    """
    started = time.perf_counter()
    instruments.active.add(1, metric_attributes)
    error = False
    try:
        with tracer.start_as_current_span(
            name,
            context=context,
            kind=kind,
            attributes=attributes,
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                return await call()
            except BaseException as exc:
                error = True
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
                raise
    finally:
        instruments.active.add(-1, metric_attributes)
        instruments.duration.record(time.perf_counter() - started, {**metric_attributes, "error": error})
