"""The seam between the runner and a test's brokers (in memory or real), met structurally."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol


class Broker(Protocol):
    """What ``run_service(..., broker=...)`` needs of a broker switch.

    ``InMemoryBroker`` and ``RealBrokers`` meet it; so does any object with these three methods.
    """

    def service_options(self) -> dict[str, Any]:
        """Options (dotted keys) merged into every service's options after the test's own."""
        ...

    def attach(self, instance: Any) -> None:
        """Called with each service instance once its options are final, before it starts."""
        ...

    def activate(self) -> AbstractAsyncContextManager[None]:
        """Held while services run: routes the transports' clients (and clock) to this broker."""
        ...
