"""OpenTelemetry on scheduled functions, records sent to a logger provider, failure events as counters."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import tomodachi
from tomodachi._lifecycle import ServiceFile
from tomodachi.logging import configure
from tomodachi.opentelemetry import TomodachiInstrumentor
from tomodachi_middleware import emit
from tomodachi_scheduler.testing import FakeClock, set_default_clock

START = 1_800_000_000.0


class Providers:
    def __init__(self) -> None:
        self.spans = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.spans))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])
        self.logs = InMemoryLogRecordExporter()  # type: ignore[no-untyped-call]
        self.logger_provider = LoggerProvider()
        self.logger_provider.add_log_record_processor(SimpleLogRecordProcessor(self.logs))

    def points(self, name: str) -> list[Any]:
        data = self.reader.get_metrics_data()
        return [
            point
            for resource_metrics in (data.resource_metrics if data else ())
            for scope in resource_metrics.scope_metrics
            for metric in scope.metrics
            if metric.name == name
            for point in metric.data.data_points
        ]


@pytest.fixture
def providers() -> Iterator[Providers]:
    made = Providers()
    instrumentor = TomodachiInstrumentor()
    instrumentor.instrument(
        tracer_provider=made.tracer_provider,
        meter_provider=made.meter_provider,
        logger_provider=made.logger_provider,
    )
    yield made
    instrumentor.uninstrument()


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    fake = FakeClock(START)
    set_default_clock(fake)
    yield fake
    set_default_clock(None)


class Ticker(tomodachi.Service):
    name = "otel-ticker"
    ticks = 0

    @tomodachi.schedule(interval="every second")
    async def tick(self) -> None:
        type(self).ticks += 1
        if type(self).ticks == 2:
            raise RuntimeError("second tick fails")


async def test_each_scheduled_run_gets_an_internal_span_and_is_measured(
    providers: Providers, clock: FakeClock
) -> None:
    service_file = ServiceFile([Ticker], "test", lambda instance: None)
    assert service_file.create()
    await service_file.start(asyncio.Event())
    try:
        await clock.advance(2)
    finally:
        await service_file.stop()
    spans = providers.spans.get_finished_spans()
    assert [span.name for span in spans] == ["tick", "tick"]
    assert all(span.kind is SpanKind.INTERNAL for span in spans)
    first = dict(spans[0].attributes or {})
    assert first["function.trigger"] == "timer"
    assert first["function.time"] == "2027-01-15T08:00:01Z"
    assert first["function.interval"] == "every second"
    assert first["code.function"] == "tick"
    assert spans[1].status.status_code is StatusCode.ERROR
    durations = providers.points("function.duration")
    assert sum(point.count for point in durations) == 2
    [active] = providers.points("function.active_tasks")
    assert active.value == 0


def test_tomodachi_log_records_go_to_the_logger_provider_with_their_fields(providers: Providers) -> None:
    configure("info", "json")
    tomodachi.get_logger("tomodachi.test").info("hello there", order_id=7)
    logging.getLogger("elsewhere").warning("not ours")
    [record] = [data.log_record for data in providers.logs.get_finished_logs()]
    assert record.body == "hello there"
    attributes = dict(record.attributes or {})
    assert attributes["order_id"] == 7
    assert attributes["logger"] == "tomodachi.test"


def test_failure_events_are_counted_per_queue(providers: Providers) -> None:
    emit("message.retried", transport="amqp", service=None, queue="orders")
    emit("message.retried", transport="amqp", service=None, queue="orders")
    emit("message.dead_lettered", transport="aws_sns_sqs", service=None, queue="jobs", reason="attempts")
    emit("message.unparseable", transport="aws_sns_sqs", service=None, queue="http://sqs.local/123/jobs")
    emit("consumer.started", transport="amqp", service=None)
    [retried] = providers.points("messaging.process.retried")
    assert retried.value == 2
    assert dict(retried.attributes) == {
        "messaging.system": "rabbitmq",
        "messaging.destination.name": "orders",
    }
    [dead] = providers.points("messaging.process.dead_lettered")
    assert dict(dead.attributes)["messaging.system"] == "aws_sqs"
    [unparseable] = providers.points("messaging.process.unparseable")
    assert unparseable.value == 1
    assert dict(unparseable.attributes)["messaging.destination.name"] == "jobs"


def test_import_tomodachi_does_not_import_opentelemetry() -> None:
    code = "import sys, tomodachi; print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_without_the_extra_the_import_names_the_install_line() -> None:
    code = (
        "import sys; sys.modules['opentelemetry'] = None\n"
        "try:\n    import tomodachi.opentelemetry\nexcept ImportError as exc:\n    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "pip install 'tomodachi[opentelemetry]'" in result.stdout, result.stderr
