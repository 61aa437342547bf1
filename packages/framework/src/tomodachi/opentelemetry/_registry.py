"""Which telemetry each service writes to, and the hooks in the libraries that read it.

``instrument()`` sets the telemetry of every service; ``instrument_service`` the one of a single
instance. The publish and scheduled-run interceptors and the event observer are registered with
``tomodachi_middleware`` while any telemetry is set, and removed when none is left.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind

from tomodachi_middleware import (
    Publication,
    ScheduledRun,
    intercept_publish,
    intercept_scheduled_runs,
    observe,
)

from ._measured import run_measured
from ._telemetry import MESSAGING_SYSTEMS, Telemetry

_global: Telemetry | None = None
_by_service: weakref.WeakKeyDictionary[Any, Telemetry] = weakref.WeakKeyDictionary()
_removers: list[Callable[[], None]] = []


def telemetry_for(service: Any) -> Telemetry | None:
    """The telemetry ``service`` writes to: its own, else the global one, else None."""
    if service is not None:
        try:
            own = _by_service.get(service)
        except TypeError:
            own = None
        if own is not None:
            return own
    return _global


def set_global(telemetry: Telemetry | None) -> None:
    """Make ``telemetry`` the one of every service without one of its own (None: no more)."""
    global _global
    _global = telemetry
    _sync_hooks()


def set_for_service(service: Any, telemetry: Telemetry | None) -> None:
    """Give ``service`` its own telemetry (None removes it)."""
    if telemetry is None:
        _by_service.pop(service, None)
    else:
        _by_service[service] = telemetry
    _sync_hooks()


def _sync_hooks() -> None:
    wanted = _global is not None or len(_by_service) > 0
    if wanted and not _removers:
        _removers.extend(
            (
                intercept_publish(_publish_interceptor),
                intercept_scheduled_runs(_scheduled_run_interceptor),
                observe(_event_observer),
            )
        )
    elif not wanted:
        while _removers:
            _removers.pop()()


_PUBLISH_SYSTEMS = {
    "sns.publish": ("aws_sns", "topic"),
    "sqs.send_message": ("aws_sqs", "queue"),
    "amqp.publish": ("rabbitmq", "topic"),
}


async def _publish_interceptor(publication: Publication, send: Callable[[], Any]) -> Any:
    telemetry = telemetry_for(publication.service)
    if telemetry is None:
        return await send()
    from opentelemetry import propagate

    system, kind = _PUBLISH_SYSTEMS.get(publication.operation, (publication.transport, "topic"))
    attributes: dict[str, Any] = {
        "messaging.system": system,
        "messaging.operation": "publish",
        "messaging.destination.name": publication.destination,
        "messaging.destination.kind": kind,
    }
    exchange = publication.details.get("exchange_name")
    if exchange:
        attributes["messaging.destination.name"] = exchange
        attributes["messaging.rabbitmq.destination.routing_key"] = publication.destination
    with telemetry.tracer.start_as_current_span(
        f"{publication.destination} publish", kind=SpanKind.PRODUCER, attributes=attributes
    ) as span:
        propagate.inject(publication.carrier, context=trace.set_span_in_context(span))
        result = await send()
        if publication.message_id:
            span.set_attribute("messaging.message.id", publication.message_id)
        return result


async def _scheduled_run_interceptor(run: ScheduledRun, call: Callable[[], Any]) -> Any:
    telemetry = telemetry_for(run.service)
    if telemetry is None:
        return await call()
    attributes = {
        "function.trigger": "timer",
        "function.time": run.invocation_time,
        "function.interval": str(run.interval),
        "code.function": run.handler,
    }
    metric_attributes = {"code.function": run.handler}
    return await run_measured(
        call,
        tracer=telemetry.tracer,
        instruments=telemetry.schedule,
        name=run.handler,
        kind=SpanKind.INTERNAL,
        attributes=attributes,
        metric_attributes=metric_attributes,
    )


def _event_observer(event: str, fields: Mapping[str, Any]) -> None:
    telemetry = telemetry_for(fields.get("service"))
    if telemetry is None:
        return
    if event == "message.retried":
        counter = telemetry.retried
    elif event == "message.dead_lettered":
        counter = telemetry.dead_lettered
    elif event == "message.unparseable":
        counter = telemetry.unparseable
    else:
        return
    transport = str(fields.get("transport") or "")
    counter.add(
        1,
        {
            "messaging.system": MESSAGING_SYSTEMS.get(transport, transport),
            "messaging.destination.name": str(fields.get("queue") or "").rstrip("/").rsplit("/", 1)[-1],
        },
    )
