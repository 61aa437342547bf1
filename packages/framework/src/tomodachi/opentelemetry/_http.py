"""The HTTP middleware: a SERVER span and the request metrics around each routed request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import propagate
from opentelemetry.trace import SpanKind, Status, StatusCode, set_span_in_context

from tomodachi_middleware import handler_specs
from tomodachi_transport_http import get_forwarded_remote_ip, get_http_response_status_sync

from ._telemetry import Telemetry

CLIENT_CLOSED = 499
_LABELS_LIMIT = 1024
"""How many (method, route, scheme) label sets are kept; a route that falls back to the path could
otherwise grow the cache without end."""


def status_of(result: Any) -> int:
    """The status code of what an HTTP handler returned (as the transport turns it into a response)."""
    status = getattr(result, "status", None)
    if isinstance(result, dict):
        status = result.get("status")
    elif isinstance(result, tuple | list) and len(result) in (2, 3):
        status = result[0]
    try:
        return int(status) if status is not None else 200
    except (TypeError, ValueError):
        return 200


Routes = dict[str, list[tuple[Callable[[str], Any], str]]]


def _route_patterns(service: Any) -> Routes:
    """The URL patterns of the service's routes and their ``http.route`` text, by handler name (read once
    per service)."""
    from tomodachi_transport_http import HttpHandlerSpec
    from tomodachi_transport_http._routing import compile_path

    patterns: Routes = {}
    for name in dir(type(service)):
        function = getattr(type(service), name, None)
        for spec in handler_specs(getattr(function, "__func__", function)):
            if isinstance(spec, HttpHandlerSpec) and spec.kind == "route":
                pattern = compile_path(spec.url)
                route = pattern.pattern.removeprefix("^").removesuffix("$")
                patterns.setdefault(spec.func.__name__, []).append((pattern.fullmatch, route))
    return patterns


def _route(patterns: Routes, name: str, path: str) -> str:
    for fullmatch, route in patterns.get(name, ()):
        if fullmatch(path):
            return route
    return path


class _Labels:
    """The span name and metric attributes of the requests of one method, route and scheme."""

    __slots__ = ("_by_status", "metric_attributes", "span_name")

    def __init__(self, method: str, route: str, scheme: str) -> None:
        self.span_name = f"{method} {route}"
        self.metric_attributes = {"http.request.method": method, "http.route": route, "url.scheme": scheme}
        self._by_status: dict[int, dict[str, Any]] = {}

    def duration_attributes(self, status: int) -> dict[str, Any]:
        """The attributes of a duration measurement: the metric attributes and the status code."""
        attributes = self._by_status.get(status)
        if attributes is None:
            attributes = {**self.metric_attributes, "http.response.status_code": status}
            if len(self._by_status) < 64:
                self._by_status[status] = attributes
        return attributes


def _attributes(request: Any, method: str, route: str, scheme: str) -> dict[str, Any]:
    host = request.host or ""
    server_address, _, server_port = host.rpartition(":")
    if not server_port.isdigit():
        server_address, server_port = host, ""
    attributes: dict[str, Any] = {
        "http.request.method": method,
        "http.route": route,
        "server.address": server_address,
        "url.scheme": scheme,
        "url.path": request.path,
        "network.protocol.name": "http",
        "network.protocol.version": f"{request.version.major}.{request.version.minor}",
    }
    if server_port:
        attributes["server.port"] = int(server_port)
    if request.query_string:
        attributes["url.query"] = request.query_string
    user_agent = request.headers.get("User-Agent")
    if user_agent:
        attributes["user_agent.original"] = user_agent
    client = get_forwarded_remote_ip(request)
    if client:
        attributes["client.address"] = client
    transport = request.transport
    if transport is not None:
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple) and len(peer) >= 2:
            attributes["client.socket.address"] = str(peer[0])
            attributes["client.socket.port"] = int(peer[1])
        local = transport.get_extra_info("sockname")
        if isinstance(local, tuple) and len(local) >= 2:
            attributes["server.socket.address"] = str(local[0])
            attributes["server.socket.port"] = int(local[1])
    return attributes


def http_middleware(telemetry: Telemetry, service: Any) -> Callable[..., Any]:
    """The middleware to put first in ``service.http_middleware``.

    Args:
        telemetry: Where spans and measurements go.
        service: The service instance, whose route patterns name the spans.

    Returns:
        An async middleware ``(func, request, **keywords)``.
    """
    patterns = _route_patterns(service)
    labels: dict[tuple[str, str, str], _Labels] = {}
    tracer = telemetry.tracer
    duration, active = telemetry.http.duration, telemetry.http.active
    excluding, excluded = bool(telemetry.excluded_urls), telemetry.excluded

    async def opentelemetry_http_middleware(func: Any, request: Any, **keywords: Any) -> Any:
        if "websocket" in keywords or "status_code" in keywords or (excluding and excluded(str(request.url))):
            return await func()
        method, scheme = request.method, request.scheme
        route = _route(patterns, func.__name__, request.path)
        key = (method, route, scheme)
        label = labels.get(key)
        if label is None:
            label = _Labels(method, route, scheme)
            if len(labels) < _LABELS_LIMIT:
                labels[key] = label
        metric_attributes = label.metric_attributes
        attributes = _attributes(request, method, route, scheme)
        parent = propagate.extract(request.headers)
        started = time.perf_counter()
        active.add(1, metric_attributes)
        status = 500
        try:
            # The span is made current by hand: tracer.start_as_current_span would wrap each request
            # in two more context managers, made of generators.
            span = tracer.start_span(
                label.span_name,
                context=parent,
                kind=SpanKind.SERVER,
                attributes=attributes,
                record_exception=False,
                set_status_on_exception=False,
            )
            token = otel_context.attach(set_span_in_context(span))
            try:
                result = await func()
            except BaseException as exc:
                status = get_http_response_status_sync(exc, request) or 500
                span.record_exception(exc)
                _finish(span, status)
                raise
            else:
                status = status_of(result)
                _finish(span, status)
                return result
            finally:
                otel_context.detach(token)
                span.end()
        finally:
            active.add(-1, metric_attributes)
            duration.record(time.perf_counter() - started, label.duration_attributes(status))

    return opentelemetry_http_middleware


def _finish(span: Any, status: int) -> None:
    span.set_attribute("http.response.status_code", status)
    if status == CLIENT_CLOSED:
        span.set_status(Status(StatusCode.ERROR, "client closed the connection before the response was sent"))
    elif status >= 500:
        span.set_status(Status(StatusCode.ERROR))
