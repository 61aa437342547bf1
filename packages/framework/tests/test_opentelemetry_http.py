"""OpenTelemetry on an HTTP service run in-process: spans, attributes, metrics and trace ids on log lines."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import tomodachi
from tomodachi._lifecycle import ServiceFile
from tomodachi.logging import configure
from tomodachi.opentelemetry import DURATION_BUCKETS, TomodachiInstrumentor


class Telemetry:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def metric_points(self, name: str) -> list[Any]:
        data = self.reader.get_metrics_data()
        points: list[Any] = []
        for resource_metrics in data.resource_metrics if data else ():
            for scope in resource_metrics.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        points.extend(metric.data.data_points)
        return points


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    made = Telemetry()
    instrumentor = TomodachiInstrumentor()
    instrumentor.instrument(
        tracer_provider=made.tracer_provider, meter_provider=made.meter_provider, excluded_urls="/health"
    )
    yield made
    instrumentor.uninstrument()


SLOW_STARTED = asyncio.Event()
SLOW_RELEASE = asyncio.Event()


class Api(tomodachi.Service):
    name = "otel-http"
    options = tomodachi.Options(http=tomodachi.Options.HTTP(port=0, host="127.0.0.1"))

    @tomodachi.http("GET", r"/items/(?P<item_id>[^/]+)/?")
    async def item(self, request: Any, item_id: str) -> Any:
        tomodachi.get_logger().info("looking up item", item_id=item_id)
        return 200, json.dumps({"id": item_id})

    @tomodachi.http("GET", r"/status/(?P<code>\d+)")
    async def status(self, request: Any, code: str) -> Any:
        return int(code), ""

    @tomodachi.http("GET", r"/broken")
    async def broken(self, request: Any) -> Any:
        raise RuntimeError("out of order")

    @tomodachi.http("GET", r"/slow")
    async def slow(self, request: Any) -> Any:
        SLOW_STARTED.set()
        await SLOW_RELEASE.wait()
        return "done"

    @tomodachi.http("GET", r"/health")
    async def health(self, request: Any) -> Any:
        return "ok"


@asynccontextmanager
async def running(cls: type) -> AsyncIterator[tuple[Any, int]]:
    service_file = ServiceFile([cls], "test", lambda instance: None)
    assert service_file.create()
    await service_file.start(asyncio.Event())
    try:
        [running_service] = service_file.services
        ports = [getattr(runtime, "port", 0) for name, runtime in running_service.runtimes if name == "http"]
        yield running_service.instance, ports[0]
    finally:
        await service_file.stop()


async def get(port: int, path: str, headers: dict[str, str] | None = None) -> int:
    timeout = aiohttp.ClientTimeout(total=10)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(f"http://127.0.0.1:{port}{path}", headers=headers) as response,
    ):
        await response.read()
        return response.status


async def test_a_request_gets_a_server_span_named_after_its_route_with_http_attributes(
    telemetry: Telemetry,
) -> None:
    async with running(Api) as (_, port):
        assert await get(port, "/items/42?full=1", {"User-Agent": "otel-test"}) == 200
    [span] = telemetry.spans()
    assert span.name == "GET /items/(?P<item_id>[^/]+)/?"
    assert span.kind is SpanKind.SERVER
    attributes = dict(span.attributes or {})
    assert attributes["http.request.method"] == "GET"
    assert attributes["http.route"] == "/items/(?P<item_id>[^/]+)/?"
    assert attributes["url.path"] == "/items/42"
    assert attributes["url.query"] == "full=1"
    assert attributes["url.scheme"] == "http"
    assert attributes["user_agent.original"] == "otel-test"
    assert attributes["server.port"] == port
    assert attributes["client.socket.address"] == "127.0.0.1"
    assert attributes["network.protocol.name"] == "http"
    assert attributes["network.protocol.version"] == "1.1"
    assert attributes["http.response.status_code"] == 200
    assert span.status.status_code is StatusCode.UNSET


async def test_a_traceparent_header_makes_the_request_span_a_child_of_the_callers_span(
    telemetry: Telemetry,
) -> None:
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    async with running(Api) as (_, port):
        await get(port, "/items/1", {"traceparent": f"00-{trace_id}-{parent_id}-01"})
    [span] = telemetry.spans()
    assert format(span.context.trace_id, "032x") == trace_id
    assert span.parent is not None
    assert format(span.parent.span_id, "016x") == parent_id


async def test_a_handler_that_raises_gives_an_error_span_with_the_exception_and_status_500(
    telemetry: Telemetry,
) -> None:
    async with running(Api) as (_, port):
        assert await get(port, "/broken") == 500
    [span] = telemetry.spans()
    assert span.status.status_code is StatusCode.ERROR
    assert dict(span.attributes or {})["http.response.status_code"] == 500
    [event] = span.events
    assert event.name == "exception"
    assert dict(event.attributes or {})["exception.message"] == "out of order"


async def test_excluded_urls_get_no_span(telemetry: Telemetry) -> None:
    async with running(Api) as (_, port):
        assert await get(port, "/health") == 200
    assert telemetry.spans() == []


async def test_request_duration_and_active_requests_are_measured_with_the_documented_buckets(
    telemetry: Telemetry,
) -> None:
    async with running(Api) as (_, port):
        for _ in range(3):
            await get(port, "/items/7")
    [duration] = telemetry.metric_points("http.server.duration")
    assert duration.count == 3
    assert tuple(duration.explicit_bounds) == DURATION_BUCKETS
    assert duration.attributes["http.route"] == "/items/(?P<item_id>[^/]+)/?"
    assert duration.attributes["http.response.status_code"] == 200
    [active] = telemetry.metric_points("http.server.active_requests")
    assert active.value == 0


async def test_requests_on_one_route_are_measured_per_response_status(telemetry: Telemetry) -> None:
    async with running(Api) as (_, port):
        assert [await get(port, path) for path in ("/status/200", "/status/404", "/status/200")] == [
            200,
            404,
            200,
        ]
    assert [span.name for span in telemetry.spans()] == [r"GET /status/(?P<code>\d+)"] * 3
    assert [dict(span.attributes or {})["http.response.status_code"] for span in telemetry.spans()] == [
        200,
        404,
        200,
    ]
    points = telemetry.metric_points("http.server.duration")
    assert sorted((point.attributes["http.response.status_code"], point.count) for point in points) == [
        (200, 2),
        (404, 1),
    ]
    assert {point.attributes["http.route"] for point in points} == {r"/status/(?P<code>\d+)"}


async def test_log_lines_written_inside_a_request_carry_its_trace_and_span_ids(
    telemetry: Telemetry, capsys: pytest.CaptureFixture[str]
) -> None:
    configure("info", "json")
    async with running(Api) as (_, port):
        await get(port, "/items/9")
    [span] = telemetry.spans()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    [line] = [line for line in lines if line.get("message") == "looking up item"]
    assert line["trace_id"] == format(span.context.trace_id, "032x")
    assert line["span_id"] == format(span.context.span_id, "016x")
    outside = [line for line in lines if line.get("message") == "started service successfully"]
    assert outside
    assert "trace_id" not in outside[0]


async def test_after_uninstrument_requests_get_no_span_and_logs_no_trace_ids(
    telemetry: Telemetry,
) -> None:
    TomodachiInstrumentor().uninstrument()
    try:
        async with running(Api) as (service, port):
            await get(port, "/items/3")
            assert not getattr(service, "http_middleware", None)
        assert telemetry.spans() == []
    finally:
        TomodachiInstrumentor().instrument(
            tracer_provider=telemetry.tracer_provider, meter_provider=telemetry.meter_provider
        )
    assert logging.getLogger("tomodachi").handlers == []


async def test_a_request_in_progress_counts_as_an_active_request(telemetry: Telemetry) -> None:
    SLOW_STARTED.clear()
    SLOW_RELEASE.clear()
    async with running(Api) as (_, port):
        request = asyncio.ensure_future(get(port, "/slow"))
        await asyncio.wait_for(SLOW_STARTED.wait(), 10)
        [during] = telemetry.metric_points("http.server.active_requests")
        SLOW_RELEASE.set()
        assert await asyncio.wait_for(request, 10) == 200
    assert during.value == 1
    assert during.attributes["http.route"] == "/slow"
    [after] = telemetry.metric_points("http.server.active_requests")
    assert after.value == 0
