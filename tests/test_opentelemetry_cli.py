"""``tomodachi run`` with OpenTelemetry: the flag, the variable, opentelemetry-instrument, Prometheus."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
from tomodachi_process import SERVICES, Processes, TomodachiProcess

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session,
        session.get(url, headers=headers) as response,
    ):
        return response.status, await response.text()


def log_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith('{"timestamp"')]


async def traced_request_and_stop(process: TomodachiProcess, port: int) -> None:
    await asyncio.to_thread(process.wait_for, "started service successfully")
    status, body = await get(f"http://127.0.0.1:{port}/hello/ada", {"traceparent": TRACEPARENT})
    assert (status, body) == (200, "hello ada")
    await asyncio.to_thread(process.wait_for, "saying hello")
    process.send(signal.SIGINT)
    assert await asyncio.to_thread(process.wait, 30) == 0


def assert_traced(process: TomodachiProcess) -> None:
    [line] = [line for line in log_lines(process.stderr) if line["message"] == "saying hello"]
    assert line["trace_id"] == TRACE_ID
    assert len(str(line["span_id"])) == 16
    # The console span exporter prints each span as JSON on stdout when the provider shuts down.
    assert '"name": "GET /hello/(?P<who>[^/]+)"' in process.stdout
    assert f'"trace_id": "0x{TRACE_ID}"' in process.stdout


async def test_the_opentelemetry_instrument_flag_traces_requests(processes: Processes) -> None:
    port = free_port()
    process = processes.start(
        "run", "--logger", "json", "--opentelemetry-instrument", "otel_http.py",
        env={"HTTP_PORT": str(port), "OTEL_TRACES_EXPORTER": "console"},
    )  # fmt: skip
    await traced_request_and_stop(process, port)
    assert_traced(process)


async def test_the_environment_variable_turns_instrumentation_on(processes: Processes) -> None:
    port = free_port()
    process = processes.start(
        "run", "--logger", "json", "otel_http.py",
        env={
            "HTTP_PORT": str(port),
            "OTEL_TRACES_EXPORTER": "console",
            "TOMODACHI_OPENTELEMETRY_INSTRUMENT": "1",
        },
    )  # fmt: skip
    await traced_request_and_stop(process, port)
    assert_traced(process)


async def test_without_instrumentation_log_lines_carry_no_trace_ids(processes: Processes) -> None:
    port = free_port()
    process = processes.start("run", "--logger", "json", "otel_http.py", env={"HTTP_PORT": str(port)})
    await traced_request_and_stop(process, port)
    [line] = [line for line in log_lines(process.stderr) if line["message"] == "saying hello"]
    assert "trace_id" not in line


async def test_opentelemetry_instrument_runs_tomodachi_with_its_distro() -> None:
    port = free_port()
    instrument = Path(sys.executable).parent / "opentelemetry-instrument"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TOMODACHI_", "OTEL_"))},
        "HTTP_PORT": str(port),
        "OTEL_TRACES_EXPORTER": "console",
        "NO_COLOR": "1",
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "tomodachi", "run", "--logger", "json", "otel_http.py"]
    process = await asyncio.create_subprocess_exec(
        str(instrument), *command, cwd=SERVICES, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        status = 0
        for _ in range(300):
            try:
                status, _ = await get(f"http://127.0.0.1:{port}/hello/ada", {"traceparent": TRACEPARENT})
                break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
        assert status == 200
        process.send_signal(signal.SIGINT)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await asyncio.wait_for(process.wait(), timeout=10)
    [line] = [line for line in log_lines(stderr.decode()) if line["message"] == "saying hello"]
    assert line["trace_id"] == TRACE_ID
    assert f'"trace_id": "0x{TRACE_ID}"' in stdout.decode()


async def test_the_prometheus_meter_provider_serves_the_service_metrics(processes: Processes) -> None:
    port, metrics_port = free_port(), free_port()
    process = processes.start(
        "run", "--opentelemetry-instrument", "otel_http.py",
        env={
            "HTTP_PORT": str(port),
            "OTEL_PYTHON_METER_PROVIDER": "tomodachi_prometheus",
            "OTEL_PYTHON_TOMODACHI_PROMETHEUS_ADDRESS": "127.0.0.1",
            "OTEL_PYTHON_TOMODACHI_PROMETHEUS_PORT": str(metrics_port),
            "OTEL_PYTHON_TOMODACHI_PROMETHEUS_NAMESPACE_PREFIX": "shop",
        },
    )  # fmt: skip
    await asyncio.to_thread(process.wait_for, "started service successfully")
    assert (await get(f"http://127.0.0.1:{port}/hello/bo"))[0] == 200
    status, text = await get(f"http://127.0.0.1:{metrics_port}/metrics")
    assert status == 200
    assert "shop_http_server_duration_seconds_count{" in text
    assert 'http_route="/hello/(?P<who>[^/]+)"' in text
    assert "target_info{" in text
    process.send(signal.SIGINT)
    assert await asyncio.to_thread(process.wait, 30) == 0


def test_a_configuration_that_fails_stops_the_service_at_start(processes: Processes) -> None:
    process = processes.run(
        "run", "--opentelemetry-instrument", "otel_http.py",
        env={"HTTP_PORT": str(free_port()), "OTEL_TRACES_EXPORTER": "no-such-exporter"},
    )  # fmt: skip
    assert process.process.returncode == 1
    assert "failed to configure OpenTelemetry" in process.stderr
    assert "OpenTelemetry could not be configured" in process.stderr
    assert "accepting http requests" not in process.stderr
