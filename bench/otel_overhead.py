"""The cost of OpenTelemetry tracing: HTTP requests/s and AMQP messages/s with instrumentation off and on.

Each case runs a service with ``tomodachi run --production`` twice: without instrumentation
(``*_tracing_off``) and with ``--opentelemetry-instrument`` (``*_tracing_on``: every request and message
gets its spans and metrics, the trace context goes into the AMQP headers; no exporter is configured, so
the figures show the instrumentation itself, not an exporter's I/O).

- ``ours``: this repository's tomodachi with the ``opentelemetry`` extra (the development venv);
- ``tomodachi029``: tomodachi 0.29 with its ``opentelemetry`` extra, in ``build/interop/venv029otel``
  (the venv of ``scripts/interop_opentelemetry.py``, created here from PyPI when missing).

Cases: ``http_tracing_off``/``http_tracing_on`` (the service and load of ``http_requests.py``: ``GET
/resource/1234`` on 32 keep-alive connections, no access log; metric ``requests_per_sec``, best of 3 runs
of 5 s, 1 of 2 s with ``--quick``) and ``amqp_tracing_off``/``amqp_tracing_on`` (the service of
``amqp_throughput.py`` publishing and consuming N messages through the local RabbitMQ, 3,000; 1,000 with
``--quick``; metric ``messages_per_sec``, best of 2 runs, 1 with ``--quick``). Every subprocess is bounded
in time.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import amqp_throughput
import http_requests
from _convention import bench_main

NAME = "otel_overhead"
NEEDS_DEV_VENV = True
IMPLS = ("ours", "tomodachi029")
ROOT = Path(__file__).resolve().parent.parent
VENV029 = ROOT / "build" / "interop" / "venv029otel"
REQUIREMENTS029 = [
    "tomodachi[opentelemetry,protobuf]==0.29.0",
    "opentelemetry-instrumentation==0.48b0",
    "opentelemetry-semantic-conventions==0.48b0",
]
RUN_SECONDS = 180.0


def server_python(impl: str) -> str:
    """The interpreter that runs the services of ``impl`` (creating 0.29's venv when missing)."""
    if impl == "ours":
        return sys.executable
    python = VENV029 / "bin" / "python"
    probe = "import tomodachi, opentelemetry.sdk; assert tomodachi.__version__ == '0.29.0'"
    if python.exists() and subprocess.run([str(python), "-c", probe], capture_output=True).returncode == 0:
        return str(python)
    subprocess.run([sys.executable, "-m", "venv", str(VENV029)], check=True, timeout=300)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS029], check=True, timeout=900
    )
    return str(python)


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("TOMODACHI_", "OTEL_"))}


def http_rate(python: str, traced: bool, quick: bool) -> float:
    port = http_requests.free_port()
    with tempfile.TemporaryDirectory() as folder:
        service = Path(folder) / "bench_otel_http_service.py"
        service.write_text(http_requests.SERVICE.format(port=port, access_log=False))
        flags = ["--opentelemetry-instrument"] if traced else []
        server = subprocess.Popen(
            [python, "-m", "tomodachi", "run", "--production", *flags, service.name],
            cwd=folder,
            env=environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: http_requests.pin(0),
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}{http_requests.PATH}"
            http_requests.wait_ready(server, url)
            wrk = http_requests.find_wrk()
            seconds, runs = (2, 1) if quick else (5, 3)
            best = 0.0
            for _ in range(runs):
                if wrk is not None:
                    rate, _ = http_requests.run_wrk(wrk, url, seconds)
                else:
                    rate, _ = http_requests.run_python_load(url, seconds)
                best = max(best, rate)
            return best
        finally:
            http_requests.stop_server(server)


def amqp_rate(python: str, traced: bool, count: int) -> float:
    token = uuid.uuid4().hex[:10]
    key, prefix = f"bench.{token}", f"bench-{token}-"
    source = amqp_throughput.SERVICE.format(
        count=count, key=key, batch=amqp_throughput.BATCH, data=amqp_throughput.DATA, prefix=prefix
    )
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "bench_otel_amqp_service.py").write_text(source)
        flags = ["--opentelemetry-instrument"] if traced else []
        process = subprocess.Popen(
            [python, "-m", "tomodachi", "run", "--production", *flags, "bench_otel_amqp_service.py"],
            cwd=folder,
            env=environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, _ = process.communicate(timeout=RUN_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RuntimeError(f"{count} messages were not handled within {RUN_SECONDS:g} s") from None
        finally:
            queue = amqp_throughput._competing_queue(key)
            retry = [f"{queue}.retry.{ms}" for ms in (1000, 2000, 4000, 8000)]
            asyncio.run(amqp_throughput._delete_queues(prefix, [queue, f"{queue}.dlq", *retry]))
    for line in stdout.splitlines():
        if line.startswith("BENCH "):
            return count / float(json.loads(line[6:])["elapsed"])
    raise RuntimeError(f"the service exited with {process.returncode} without a report")


def measure(impl: str, quick: bool) -> list[dict[str, Any]]:
    python = server_python(impl)
    results: list[dict[str, Any]] = []
    for traced in (False, True):
        case = f"http_tracing_{'on' if traced else 'off'}"
        try:
            rate = http_rate(python, traced, quick)
            results.append({"name": case, "impl": impl, "requests_per_sec": round(rate, 1)})
        except Exception as exc:
            results.append({"name": case, "impl": impl, "error": f"{type(exc).__name__}: {exc}"})
    amqp_throughput.hold_broker()
    count = 1000 if quick else 3000
    for traced in (False, True):
        case = f"amqp_tracing_{'on' if traced else 'off'}"
        try:
            started = time.monotonic()
            best = max(amqp_rate(python, traced, count) for _ in range(1 if quick else 2))
            results.append(
                {
                    "name": case,
                    "impl": impl,
                    "messages": count,
                    "messages_per_sec": round(best, 1),
                    "wall_seconds": round(time.monotonic() - started, 1),
                }
            )
        except Exception as exc:
            results.append({"name": case, "impl": impl, "error": f"{type(exc).__name__}: {exc}"})
    return results


if __name__ == "__main__":
    sys.exit(bench_main(IMPLS, __doc__, "shorter HTTP runs, fewer messages, one run each", measure))
