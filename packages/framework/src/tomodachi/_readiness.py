"""Whether the services of one run are ready for work, and why not.

A run is ready once every start step is done (start hooks, transports started and consuming) and
until a stop is requested, as long as no broker connection is lost and no consumer has stopped. The
transports report connections and consumers through ``tomodachi_middleware``'s operational events
(``connection.lost`` / ``connection.restored``, ``consumer.stopped`` / ``consumer.started``); only
the events of this run's own service instances count. Nothing here needs aiohttp.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tomodachi_middleware import observe

from .options import HealthOptions

if TYPE_CHECKING:
    from ._health import Health
    from ._lifecycle import ServiceFile

_Key = tuple[str, int, str, str]


def health_options(instance: Any) -> HealthOptions | None:
    """The ``health`` section of a service's options, or ``None`` when the endpoints are not enabled."""
    section = getattr(getattr(instance, "options", None), "health", None)
    if isinstance(section, HealthOptions) and section.enabled:
        return section
    return None


class HealthServerError(Exception):
    """A health server could not listen on its host and port; the reason has been logged."""


async def open_health(service_files: Sequence[ServiceFile], stop_requested: asyncio.Event) -> Health | None:
    """Serve the health endpoints of the services that enable them, and start following readiness.

    Args:
        service_files: The run's created service files.
        stop_requested: Set when the run is asked to stop.

    Returns:
        The run's ``Health`` (mark it started, stopping, and close it), or ``None`` when no service
        enables the endpoints; aiohttp is not imported then.

    Raises:
        HealthServerError: A health server of their own cannot listen (logged).
    """
    services = [
        (service.instance, service.runtimes)
        for service_file in service_files
        for service in service_file.services
    ]
    if not any(health_options(instance) is not None for instance, _ in services):
        return None
    from ._health import Health

    health = Health(services, stop_requested)
    await health.open()
    return health


class Readiness:
    """The readiness of a run's service instances, fed by the lifecycle and the transports' events.

    Args:
        services: The run's service instances; events about other instances are ignored.
        stop_requested: Set when the run is asked to stop; from then on it is not ready.
    """

    def __init__(self, services: Iterable[Any], stop_requested: asyncio.Event) -> None:
        self._names = {id(service): str(getattr(service, "name", "service")) for service in services}
        self._stop_requested = stop_requested
        self._started = False
        self._stopping = False
        self._problems: dict[_Key, str] = {}
        self._unsubscribe: Callable[[], None] | None = None

    def watch(self) -> None:
        """Start listening to the transports' events (until ``close``)."""
        if self._unsubscribe is None:
            self._unsubscribe = observe(self._on_event)

    def close(self) -> None:
        """Stop listening to events."""
        unsubscribe, self._unsubscribe = self._unsubscribe, None
        if unsubscribe is not None:
            unsubscribe()

    def mark_started(self) -> None:
        """Every start step of every service is done."""
        self._started = True

    def mark_stopping(self) -> None:
        """The services are stopping (also after a failed start)."""
        self._stopping = True

    def status(self) -> tuple[bool, list[str]]:
        """Whether the run is ready, and the reasons when it is not.

        Returns:
            ``(True, [])`` when ready, else ``(False, reasons)`` with one sentence per reason.
        """
        reasons: list[str] = []
        if self._stopping or self._stop_requested.is_set():
            reasons.append("stopping: a stop was requested")
        elif not self._started:
            reasons.append("starting: start hooks or transports are not done")
        reasons.extend(self._problems.values())
        return not reasons, reasons

    def _on_event(self, event: str, fields: Mapping[str, Any]) -> None:
        service = fields.get("service")
        name = self._names.get(id(service)) if service is not None else None
        if name is None:
            return
        transport = str(fields.get("transport") or "transport")
        broker = str(fields.get("broker") or "")
        queue = str(fields.get("queue") or "")
        where = f"service {name!r}" + (f", queue {queue!r}" if queue else "")
        if event in ("connection.lost", "connection.restored"):
            key: _Key = ("connection", id(service), f"{transport} {broker}", queue)
            if event == "connection.lost":
                target = f" to {broker}" if broker else ""
                self._problems[key] = f"{transport} connection{target} lost ({where})"
            else:
                self._problems.pop(key, None)
        elif event in ("consumer.stopped", "consumer.started"):
            key = ("consumer", id(service), transport, queue)
            if event == "consumer.stopped" and not (self._stopping or self._stop_requested.is_set()):
                self._problems[key] = f"{transport} consumer stopped ({where})"
            else:
                self._problems.pop(key, None)
