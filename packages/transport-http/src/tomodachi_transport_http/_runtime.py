"""The HTTP server of one service: routes built at start, one request handler, graceful stop."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from aiohttp import web

from tomodachi_middleware import set_handler_context

from ._access_log import (
    EXCEPTION_LOGGER,
    HTTP_LOGGER,
    RESPONSE_LOGGER,
    close_access_log_file,
    log_access,
    monotonic,
    open_access_log_file,
)
from ._errors import bind_error
from ._invoke import Invoker, bind_handler, build_chain
from ._remote_ip import RemoteIp
from ._responses import ResponseBuilder
from ._routing import Route, Router, compile_path, exact_path, ignore_logging_value
from ._server import Server
from ._settings import Settings, read_settings
from ._specs import HttpHandlerSpec
from ._static import StaticFiles, static_folder, static_pattern
from ._websocket import OpenWebsockets, WebsocketEndpoint

CLIENT_CLOSED = 499
HANDLER_LOGGER = "tomodachi.http.handler"
_MAX_HEADERS = 32768


def _transport_gone(request: web.BaseRequest) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


async def _continue(request: web.BaseRequest) -> None:
    """Tells a client that waits (``Expect: 100-continue``) to send its body."""
    if request.headers["Expect"].lower() == "100-continue" and request.version >= (1, 1):
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")


def _log_exception(exc: BaseException) -> None:
    EXCEPTION_LOGGER.error(f"uncaught exception: {exc}", exc_info=exc)


def _listen_url(host: str | None, port: int) -> str:
    if host in (None, "", "0.0.0.0", "127.0.0.1", "::"):
        return f"http://localhost:{port}/"
    if ":" in str(host):
        return f"http://[{host}]:{port}/"
    return f"http://{host}:{port}/"


class HttpRuntime:
    """Serves a service's HTTP routes, error handlers, static folders and websockets.

    Nothing happens until ``start``: then the options are read, the routes compiled and the
    middleware chains built, once, and the server listens. ``drain`` stops listening and lets the
    requests in flight finish within ``http.termination_grace_period_seconds``; ``close`` ends
    what is left. Both are safe to call without ``start``.

    Args:
        service: The service instance.
        specs: The ``HttpHandlerSpec`` of its handlers, in definition order.
    """

    def __init__(self, service: Any, specs: Sequence[HttpHandlerSpec]) -> None:
        self.service = service
        self.specs = list(specs)
        self.settings: Settings | None = None
        self.router = Router(())
        self.websockets = OpenWebsockets()
        self._server: Server | None = None
        self._listener: asyncio.AbstractServer | None = None
        self._error_chains: dict[int, tuple[Invoker, str]] = {}
        self._responses = ResponseBuilder("text/plain; charset=utf-8", "utf-8")
        self._remote_ip = RemoteIp((), "X-Forwarded-For")
        self._access_log = True
        self._access_log_handler: logging.Handler | None = None
        self._draining = False
        self._active = 0
        self._total = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._keep_alive_header = ""
        self._port = 0
        self._internal_routes: list[Route] = []

    def add_internal_route(
        self, path: str, endpoint: Callable[[web.BaseRequest], Awaitable[web.StreamResponse]]
    ) -> None:
        """Serve ``GET`` (and ``HEAD``) of ``path`` with ``endpoint``, ahead of the service's routes.

        For a framework's own routes, such as health probes: no middleware runs, and the access
        log leaves their responses out (but for 500s). Call it before ``start``.

        Args:
            path: The exact request path (not a pattern).
            endpoint: Called with the request; returns the response.
        """

        async def internal(request: web.BaseRequest, groups: dict[str, str]) -> web.StreamResponse:
            return await endpoint(request)

        self._internal_routes.append(Route("internal", ("GET",), exact_path(path), internal, True, path))

    @property
    def port(self) -> int:
        """The port the server listens on (the one given, or the one picked for port 0)."""
        return self._port

    @property
    def active_requests(self) -> int:
        """How many requests are being handled now (open websockets included)."""
        return self._active

    @property
    def total_requests(self) -> int:
        """How many requests have arrived since the start."""
        return self._total

    # The names the framework's execution context reads (``http_current_tasks``, ``http_total_tasks``).
    current_tasks = active_requests
    total_tasks = total_requests

    # ----------------------------------------------------------------------------------- start

    def _build(self, settings: Settings) -> None:
        service = self.service
        middlewares = list(getattr(service, "http_middleware", None) or [])
        routes: list[Route] = []
        for spec in self.specs:
            if spec.kind == "error":
                handler = bind_handler(service, spec.func)
                self._error_chains.setdefault(
                    spec.status_code, (build_chain(handler, middlewares, service=service), spec.func.__name__)
                )
            elif spec.kind == "route":
                chain = build_chain(
                    bind_handler(service, spec.func),
                    middlewares,
                    pre_handler_func=spec.pre_handler_func,
                    service=service,
                )
                routes.append(
                    Route(
                        "route",
                        spec.methods,
                        compile_path(spec.url),
                        self._route_endpoint(chain, spec.func.__name__),
                        ignore_logging_value(spec.ignore_logging),
                        spec.func.__name__,
                    )
                )
            elif spec.kind == "static":
                files = StaticFiles(static_folder(spec.path, service))
                routes.append(
                    Route(
                        "static",
                        ("GET",),
                        compile_path(static_pattern(spec.url)),
                        files,
                        ignore_logging_value(spec.ignore_logging),
                        spec.func.__name__,
                    )
                )
            elif spec.kind == "websocket":
                chain = build_chain(
                    bind_handler(service, spec.func), middlewares, ("websocket", "request"), service=service
                )
                endpoint = WebsocketEndpoint(
                    chain,
                    self._remote_ip,
                    settings.server_header,
                    self.websockets,
                    settings.access_log,
                    spec.func.__name__,
                )
                routes.append(
                    Route("websocket", ("GET",), compile_path(spec.url), endpoint, False, spec.func.__name__)
                )
        self.router = Router([*self._internal_routes, *routes])

    def _route_endpoint(self, chain: Invoker, name: str) -> Any:
        responses = self._responses

        async def endpoint(request: web.BaseRequest, groups: dict[str, str]) -> web.StreamResponse:
            # the request's own task: tomodachi.get_logger() in the handler names it
            set_handler_context(HANDLER_LOGGER, handler=name, type="tomodachi.http")
            return responses.build(await chain(**groups, request=request))

        return endpoint

    async def start(self) -> None:
        """Reads the options, builds the routes and listens.

        Raises:
            HttpConfigurationError: An option or a handler cannot work.
            HttpAccessLogError: The access-log file cannot be opened.
            HttpBindError: The host and port cannot be bound.
        """
        settings = read_settings(self.service.options.http)
        self.settings = settings
        self._responses = ResponseBuilder(settings.content_type, settings.charset)
        self._remote_ip = RemoteIp(settings.real_ip_from, settings.real_ip_header)
        self._access_log = settings.access_log
        keep_alive = f"timeout={settings.keepalive_timeout}"
        if settings.max_keepalive_requests:
            keep_alive += f", max={settings.max_keepalive_requests}"
        self._keep_alive_header = keep_alive
        self._build(settings)
        if settings.access_log_file:
            self._access_log_handler = open_access_log_file(settings.access_log_file)

        loop = asyncio.get_running_loop()
        request_class = type("ServiceRequest", (web.Request,), {"remote_ip_resolver": self._remote_ip})
        max_size = settings.client_max_size

        def make_request(
            message: Any, payload: Any, protocol: Any, writer: Any, task: Any, _cls: type = request_class
        ) -> web.BaseRequest:
            return _cls(message, payload, protocol, writer, task, loop, client_max_size=max_size)  # type: ignore[no-any-return]

        server = Server(
            self._handle,
            request_factory=make_request,
            keepalive_timeout=float(settings.keepalive_timeout or 75),
            access_log=None,
            max_headers=_MAX_HEADERS,
            server_header=settings.server_header,
        )
        host = settings.host
        reuse_port = settings.reuse_port and sys.platform.startswith("linux")
        if settings.reuse_port and not reuse_port:
            HTTP_LOGGER.warning("http.reuse_port works on Linux only; binding without it")
        elif reuse_port and settings.port == 0:
            HTTP_LOGGER.warning("http.reuse_port with port 0: every process gets a port of its own")
        try:
            self._listener = await loop.create_server(
                server, host, settings.port, reuse_port=reuse_port or None, reuse_address=True
            )
        except OSError as exc:
            HTTP_LOGGER.warning(
                f"unable to bind service [http] to {_listen_url(host, settings.port)}",
                extra={"host": host or "0.0.0.0", "port": settings.port},
            )
            raise bind_error(exc, host or "0.0.0.0", settings.port) from exc
        self._server = server
        sockets = self._listener.sockets
        self._port = sockets[0].getsockname()[1] if sockets else settings.port
        fields = {
            "listen_url": _listen_url(host, self._port),
            "listen_host": host or "0.0.0.0",
            "listen_port": self._port,
        }
        HTTP_LOGGER.info("accepting http requests", extra=fields)
        if self._access_log_handler is not None:
            self._access_log_handler.handle(
                HTTP_LOGGER.makeRecord(
                    HTTP_LOGGER.name,
                    logging.INFO,
                    __file__,
                    0,
                    "accepting http requests",
                    (),
                    None,
                    extra=fields,
                )
            )

    async def consume(self) -> None:
        """Nothing to do: the server takes requests from ``start`` on."""

    # --------------------------------------------------------------------------------- requests

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        started = monotonic()
        self._active += 1
        self._total += 1
        self._idle.clear()
        route: Route | None = None
        handler_time: float | None = None
        client_gone = False
        try:
            if self._draining:
                response: web.StreamResponse = self._responses.text("", 503)
                response.force_close()
            else:
                resolved = self.router.resolve(request.method, request.path)
                if resolved is None:
                    response = await self._routing_error(request)
                else:
                    route, groups = resolved
                    # request.match_info (cached by aiohttp under this key) gives the named groups
                    request._cache["match_info"] = groups
                    length = request.content_length
                    if length is not None and length > request.client_max_size:
                        response = await self._error(
                            request, 413, web.HTTPRequestEntityTooLarge(request.client_max_size, length)
                        )
                    else:
                        if "Expect" in request.headers:
                            await _continue(request)
                        handler_started = monotonic()
                        try:
                            response = await route.endpoint(request, groups)
                        finally:
                            handler_time = monotonic() - handler_started
        except web.HTTPException as exc:
            response = await self._error(request, exc.status, exc)
        except asyncio.CancelledError:
            self._done()
            raise
        except Exception as exc:
            if _transport_gone(request):
                client_gone = True
                HTTP_LOGGER.info(
                    "ignored http request - connection closed before body was sent",
                    extra={"request_method": request.method, "request_path": request.path},
                )
            else:
                _log_exception(exc)
            response = await self._error(request, 500)
        try:
            self._finish(request, response, route, started, handler_time, client_gone)
        finally:
            self._done()
        return response

    def _done(self) -> None:
        self._active -= 1
        if not self._active:
            self._idle.set()

    async def _routing_error(self, request: web.BaseRequest) -> web.StreamResponse:
        allowed = self.router.allowed_methods(request.path)
        if allowed:
            return await self._error(request, 405, web.HTTPMethodNotAllowed(request.method, allowed))
        return await self._error(request, 404, web.HTTPNotFound())

    async def _error(
        self, request: web.BaseRequest, status: int, exc: web.HTTPException | None = None
    ) -> web.StreamResponse:
        """The response for an error status: its ``http_error`` handler's, or the plain one."""
        error_handler = self._error_chains.get(status)
        if error_handler is not None:
            chain, name = error_handler
            set_handler_context(HANDLER_LOGGER, handler=name, type="tomodachi.http_error", status_code=status)
            try:
                response = self._responses.build(await chain(request=request, status_code=status), status)
            except Exception as handler_exc:
                _log_exception(handler_exc)
                if status == 500:
                    return self._responses.text("", 500)
                return await self._error(request, 500)
            if exc is not None and status == 405 and "Allow" not in response.headers:
                response.headers["Allow"] = exc.headers.get("Allow", "")
            return response
        if exc is None or status == 500:
            return self._responses.text("", status)
        text = exc.text or ""
        body = text if text and text != f"{exc.status}: {exc.reason}" else str(exc)
        headers = {k: v for k, v in exc.headers.items() if k.lower() != "content-length"}
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        return web.Response(status=status, body=body.encode("utf-8"), headers=headers)

    def _finish(
        self,
        request: web.BaseRequest,
        response: web.StreamResponse,
        route: Route | None,
        started: float,
        handler_time: float | None,
        client_gone: bool,
    ) -> None:
        settings = self.settings
        assert settings is not None
        is_websocket = isinstance(response, web.WebSocketResponse)
        if not is_websocket:
            response.headers["Server"] = settings.server_header
            self._keep_alive(request, response, settings)
        if not self._access_log or is_websocket or not RESPONSE_LOGGER.isEnabledFor(logging.INFO):
            return
        status = response.status
        ignore = route.ignore_logging if route is not None else False
        if ignore is True:
            if status != 500:  # True leaves out every line but those of 500s, as the README says
                return
        elif ignore and status in ignore:
            return
        replaced: int | None = None
        if client_gone or _transport_gone(request):
            replaced, status = status, CLIENT_CLOSED
        log_access(
            request,
            status=status,
            replaced_status=replaced,
            response_length=response.content_length,
            remote_ip=self._remote_ip(request),
            handler_time=handler_time,
            request_time=monotonic() - started,
        )

    def _keep_alive(self, request: web.BaseRequest, response: web.StreamResponse, settings: Settings) -> None:
        if not settings.keepalive_timeout or self._draining or not request.keep_alive:
            response.force_close()
            return
        server = self._server
        stats = server.connection_stats.get(request.protocol) if server is not None else None
        if stats is not None:
            stats[1] += 1
            if (settings.max_keepalive_requests and stats[1] >= settings.max_keepalive_requests) or (
                settings.max_keepalive_time
                and asyncio.get_running_loop().time() - stats[0] >= settings.max_keepalive_time
            ):
                response.force_close()
                return
        response.headers["Connection"] = "keep-alive"
        response.headers["Keep-Alive"] = self._keep_alive_header

    # ------------------------------------------------------------------------------------- stop

    async def drain(self) -> None:
        """Stops listening, closes websockets and waits for the requests in flight.

        The wait lasts at most ``http.termination_grace_period_seconds``; keep-alive connections
        are closed after their current response. Safe to call when ``start`` never ran.
        """
        self._draining = True
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        await self.websockets.close_all()
        grace = self.settings.grace_period if self.settings is not None else 0.0
        if self._active:
            HTTP_LOGGER.info(
                "awaiting requests to complete",
                extra={"request_count": self._active, "grace_period_seconds": grace},
            )
            try:
                await asyncio.wait_for(self._idle.wait(), timeout=max(grace, 0.0))
            except TimeoutError:
                HTTP_LOGGER.warning(
                    "all requests did not gracefully finish execution", extra={"request_count": self._active}
                )
        await self._shutdown_connections(1.0)

    async def _shutdown_connections(self, wait_seconds: float) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        if server.open_connections:
            await server.shutdown(wait_seconds)

    async def close(self) -> None:
        """Closes whatever is still open. Safe to call when ``start`` never ran."""
        self._draining = True
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()
        await self._shutdown_connections(0.1)
        handler, self._access_log_handler = self._access_log_handler, None
        if handler is not None:
            close_access_log_file(handler)
