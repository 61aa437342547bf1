"""The one contract between the facade and every transport, met structurally.

A transport library's decorator records a handler spec on the function (see
``tomodachi_middleware.register_handler``); each spec names its transport, an object with a
``name`` and a ``create_runtime`` method. For each service instance the facade gathers the specs
per transport and drives each runtime through the lifecycle::

    start()     before _started_service: bind sockets, declare queues and subscriptions, connect
    consume()   after _started_service returns: begin taking work (consumers, schedules)
    drain()     on stop: take no new work, let work in flight finish within the transport's grace period
    close()     after _stop_service... release connections and servers

An exception from ``start`` or ``consume`` stops the service with exit code 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol


class TransportRuntime(Protocol):
    """The running part of one transport for one service instance."""

    async def start(self) -> None: ...

    async def consume(self) -> None: ...

    async def drain(self) -> None: ...

    async def close(self) -> None: ...


class Transport(Protocol):
    """A transport: what a handler spec's ``transport`` attribute refers to."""

    @property
    def name(self) -> str: ...

    def create_runtime(self, service: Any, specs: Sequence[Any]) -> TransportRuntime: ...
