"""The liveness and readiness endpoints of a run, on the services' HTTP servers or on their own.

For each service whose ``health.enabled`` is set, the endpoints go on its HTTP server when it has
HTTP handlers and ``health.port`` is unset (or is ``http.port``); otherwise on a small server of
their own on ``health.host``/``health.port`` (falling back to ``http.host``/``http.port``). Services
that name the same host and port share one such server. Every endpoint reports the whole run: a
process is ready only when all its services are.

    liveness    200 {"status": "alive"} whenever the event loop answers
    readiness   200 {"status": "ready"}, or 503 {"status": "not ready", "reasons": [...]}
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiohttp import web

from ._readiness import HealthServerError, Readiness, health_options
from .logging import get_logger

Endpoint = Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]
_ALL_INTERFACES = "0.0.0.0"


def _json(status: int, body: dict[str, Any]) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(body).encode("utf-8"),
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


class HealthEndpoints:
    """The two endpoints, answering from a ``Readiness``.

    Args:
        readiness: The run's readiness.
    """

    def __init__(self, readiness: Readiness) -> None:
        self.readiness = readiness

    async def liveness(self, request: web.BaseRequest) -> web.StreamResponse:
        """200 ``{"status": "alive"}``: answering at all means the event loop runs."""
        return _json(200, {"status": "alive"})

    async def ready(self, request: web.BaseRequest) -> web.StreamResponse:
        """200 ``{"status": "ready"}``, or 503 ``{"status": "not ready", "reasons": [...]}``."""
        ready, reasons = self.readiness.status()
        if ready:
            return _json(200, {"status": "ready"})
        return _json(503, {"status": "not ready", "reasons": reasons})


class HealthServer:
    """A small HTTP server that answers ``GET``/``HEAD`` of some paths, and nothing else.

    Args:
        host: Interface to bind; ``None`` or ``""`` for all.
        port: Port to listen on; 0 picks a free one (see ``port`` after ``start``).
    """

    def __init__(self, host: str | None, port: int) -> None:
        self.host = host or _ALL_INTERFACES
        self.port = port
        self.routes: dict[str, Endpoint] = {}
        self._listener: asyncio.AbstractServer | None = None
        self._server: web.Server | None = None

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        endpoint = self.routes.get(request.path)
        if endpoint is None:
            return _json(404, {"status": "not found"})
        if request.method not in ("GET", "HEAD"):
            response = _json(405, {"status": "method not allowed"})
            response.headers["Allow"] = "GET, HEAD"
            return response
        return await endpoint(request)

    async def start(self) -> None:
        """Listen.

        Raises:
            HealthServerError: The host and port cannot be bound.
        """
        loop = asyncio.get_running_loop()
        self._server = web.Server(self._handle, access_log=None)
        try:
            self._listener = await loop.create_server(self._server, self.host, self.port, reuse_address=True)
        except OSError as exc:
            get_logger("tomodachi.health").error(
                "unable to bind the health server", host=self.host, port=self.port, error=str(exc)
            )
            raise HealthServerError(f"cannot listen on {self.host}:{self.port}: {exc}") from exc
        sockets = self._listener.sockets
        if sockets:
            self.port = sockets[0].getsockname()[1]
        get_logger("tomodachi.health").info(
            "accepting health probes",
            listen_host=self.host,
            listen_port=self.port,
            paths=sorted(self.routes),
        )

    async def close(self) -> None:
        """Stop listening and close the connections."""
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        server, self._server = self._server, None
        if server is not None:
            await server.shutdown(0.5)


class Health:
    """The endpoints of one run: put on HTTP runtimes at once, own servers opened by ``open``.

    Args:
        services: ``(instance, [(transport name, runtime), ...])`` for every service of the run.
        stop_requested: Set when the run is asked to stop.
    """

    def __init__(self, services: Iterable[tuple[Any, list[tuple[str, Any]]]], stop_requested: asyncio.Event):
        services = list(services)
        self.readiness = Readiness((instance for instance, _ in services), stop_requested)
        self.endpoints = HealthEndpoints(self.readiness)
        self.servers: dict[tuple[str, int], HealthServer] = {}
        for instance, runtimes in services:
            self._place(instance, runtimes)

    def _place(self, instance: Any, runtimes: list[tuple[str, Any]]) -> None:
        options = health_options(instance)
        if options is None:
            return
        paths: dict[str, Endpoint] = {
            options.liveness_path: self.endpoints.liveness,
            options.readiness_path: self.endpoints.ready,
        }
        http = getattr(instance.options, "http", None)
        http_port = getattr(http, "port", None)
        http_runtime = next(
            (
                runtime
                for name, runtime in runtimes
                if name == "http" and hasattr(runtime, "add_internal_route")
            ),
            None,
        )
        if http_runtime is not None and options.port in (None, http_port):
            for path, endpoint in paths.items():
                http_runtime.add_internal_route(path, endpoint)
            return
        host = options.host if options.host is not None else getattr(http, "host", None)
        port = options.port if options.port is not None else int(http_port or 0)
        server = self.servers.setdefault((host or _ALL_INTERFACES, port), HealthServer(host, port))
        server.routes.update(paths)

    async def open(self) -> None:
        """Start following the transports' events and open the servers of their own.

        Raises:
            HealthServerError: A server cannot listen; the ones opened before are closed again.
        """
        self.readiness.watch()
        try:
            for server in self.servers.values():
                await server.start()
        except HealthServerError:
            await self.close()
            raise

    def mark_started(self) -> None:
        """Every service has passed every start step."""
        self.readiness.mark_started()

    def mark_stopping(self) -> None:
        """The services are stopping, asked to or after a failed start."""
        self.readiness.mark_stopping()

    async def close(self) -> None:
        """Close the servers of their own and stop following events."""
        self.readiness.mark_stopping()
        await asyncio.gather(*(server.close() for server in self.servers.values()))
        self.readiness.close()
