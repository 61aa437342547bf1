"""Interceptors that run around every publish of the transports (tracing, metrics, tests).

A transport that publishes builds a :class:`Publication` and calls ``await intercepted(publication,
send)`` only when ``PUBLISH_INTERCEPTORS`` is not empty, so with nothing registered a publish costs
one truth test. Each interceptor is an async function ``interceptor(publication, send)`` that must
await ``send()`` once and return its result; it may write string values into
``publication.carrier`` before (the message attributes of SNS/SQS or the AMQP headers, which go on
the wire) and read ``publication.message_id`` after. It lives here, the lowest library every
transport depends on, so that transports need neither the facade nor OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

Send = Callable[[], Awaitable[Any]]

_Subject = TypeVar("_Subject")
_Interceptor = Callable[[_Subject, Send], Awaitable[Any]]


def _register(
    interceptors: list[_Interceptor[_Subject]], interceptor: _Interceptor[_Subject]
) -> Callable[[], None]:
    """Append ``interceptor`` to ``interceptors``; return the function that takes it out again."""
    interceptors.append(interceptor)

    def remove() -> None:
        if interceptor in interceptors:
            interceptors.remove(interceptor)

    return remove


async def _through(interceptors: list[_Interceptor[_Subject]], subject: _Subject, call: Send) -> Any:
    """Await ``call()`` inside each of ``interceptors`` (as registered now), the first one outermost."""
    chain = tuple(interceptors)

    async def step(index: int) -> Any:
        if index == len(chain):
            return await call()
        return await chain[index](subject, lambda: step(index + 1))

    return await step(0)


@dataclass
class Publication:
    """One message on its way out.

    Attributes:
        transport: ``"aws_sns_sqs"`` or ``"amqp"`` (the transport names of the events and runtimes).
        operation: ``"sns.publish"``, ``"sqs.send_message"`` or ``"amqp.publish"``.
        destination: The topic, queue name or routing key, as the caller gave it (no prefix).
        carrier: The message attributes (SNS/SQS) or headers (AMQP) that will be sent; interceptors
            may add string values.
        service: The publishing service instance, or None.
        message_id: The broker's id of the message, once sent (None where the broker gives none).
        details: Further transport values (``exchange_name``, ``queue_url``, ...).
    """

    transport: str
    operation: str
    destination: str
    carrier: MutableMapping[str, Any]
    service: Any = None
    message_id: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


PublishInterceptor = Callable[[Publication, Send], Awaitable[Any]]

PUBLISH_INTERCEPTORS: list[PublishInterceptor] = []
"""The registered interceptors, outermost first; transports test it for truth before building a
:class:`Publication`."""


def intercept_publish(interceptor: PublishInterceptor) -> Callable[[], None]:
    """Run ``interceptor`` around every publish from now on.

    Args:
        interceptor: ``async interceptor(publication, send)``, awaiting ``send()`` once.

    Returns:
        A function that removes the interceptor (calling it twice is harmless).
    """
    return _register(PUBLISH_INTERCEPTORS, interceptor)


async def intercepted(publication: Publication, send: Send) -> Any:
    """Await ``send()`` inside every registered interceptor, the first one outermost.

    Args:
        publication: What is being published; ``carrier`` must be what ``send`` puts on the wire.
        send: Publishes the message and returns what the transport returns (its message id).

    Returns:
        What ``send()`` returned, as the interceptors pass it on.
    """
    return await _through(PUBLISH_INTERCEPTORS, publication, send)


@dataclass
class ScheduledRun:
    """One run of a scheduled handler, as its interceptors see it.

    Attributes:
        service: The service instance.
        handler: The handler's name.
        qualname: The handler's qualified name.
        invocation_time: The planned time of the run (ISO 8601, UTC).
        interval: The schedule as the decorator was given it (interval, cron, timestamp).
    """

    service: Any
    handler: str
    qualname: str
    invocation_time: str
    interval: Any


ScheduledRunInterceptor = Callable[[ScheduledRun, Send], Awaitable[Any]]

SCHEDULED_RUN_INTERCEPTORS: list[ScheduledRunInterceptor] = []
"""The registered interceptors of scheduled runs; the scheduler tests it for truth first."""


def intercept_scheduled_runs(interceptor: ScheduledRunInterceptor) -> Callable[[], None]:
    """Run ``interceptor(run, call)`` around every scheduled run from now on; it awaits ``call()`` once.

    Args:
        interceptor: The async function.

    Returns:
        A function that removes the interceptor (calling it twice is harmless).
    """
    return _register(SCHEDULED_RUN_INTERCEPTORS, interceptor)


async def intercepted_run(run: ScheduledRun, call: Send) -> Any:
    """Await ``call()`` (the handler) inside every registered scheduled-run interceptor.

    Args:
        run: The run.
        call: Runs the handler.

    Returns:
        What ``call()`` returned.
    """
    return await _through(SCHEDULED_RUN_INTERCEPTORS, run, call)
