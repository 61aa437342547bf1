"""``tomodachi run --opentelemetry-instrument`` with the metric readers of ``OTEL_PYTHON_METRIC_READER``."""

from __future__ import annotations

import asyncio
import signal

from test_opentelemetry_cli import free_port, get
from tomodachi_process import Processes


async def test_the_metric_reader_variable_adds_a_prometheus_reader_to_the_meter_provider(
    processes: Processes,
) -> None:
    port = free_port()
    process = processes.start(
        "run", "--opentelemetry-instrument", "otel_metric_reader.py",
        env={
            "HTTP_PORT": str(port),
            "OTEL_PYTHON_METRIC_READER": "tomodachi_prometheus",
            "OTEL_PYTHON_TOMODACHI_PROMETHEUS_NAMESPACE_PREFIX": "shop",
        },
    )  # fmt: skip
    await asyncio.to_thread(process.wait_for, "started service successfully")
    assert (await get(f"http://127.0.0.1:{port}/hello/bo"))[0] == 200
    status, text = await get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200
    assert "shop_http_server_duration_seconds_count{" in text
    assert 'http_route="/hello/(?P<who>[^/]+)"' in text
    process.send(signal.SIGINT)
    assert await asyncio.to_thread(process.wait, 30) == 0


async def test_without_a_metric_reader_the_default_registry_has_no_service_metrics(
    processes: Processes,
) -> None:
    port = free_port()
    process = processes.start(
        "run", "--opentelemetry-instrument", "otel_metric_reader.py",
        env={"HTTP_PORT": str(port), "OTEL_PYTHON_METRIC_READER": "none"},
    )  # fmt: skip
    await asyncio.to_thread(process.wait_for, "started service successfully")
    assert (await get(f"http://127.0.0.1:{port}/hello/bo"))[0] == 200
    status, text = await get(f"http://127.0.0.1:{port}/metrics")
    assert status == 200
    assert "http_server_duration" not in text
    process.send(signal.SIGINT)
    assert await asyncio.to_thread(process.wait, 30) == 0


def test_an_unknown_metric_reader_stops_the_service_at_start(processes: Processes) -> None:
    process = processes.run(
        "run", "--opentelemetry-instrument", "otel_metric_reader.py",
        env={"HTTP_PORT": str(free_port()), "OTEL_PYTHON_METRIC_READER": "no-such-reader"},
    )  # fmt: skip
    assert process.process.returncode == 1
    assert "metric reader 'no-such-reader'" in process.stderr
    assert "accepting http requests" not in process.stderr
