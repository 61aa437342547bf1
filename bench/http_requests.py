"""HTTP requests per second on a route with a named group, keep-alive on, over loopback.

The route is ``GET /resource/(?P<id>[^/]+?)/?``, answering ``id = <id>`` as text. Each implementation
serves it from a server process of its own, and one load generator process sends
``GET /resource/1234`` on 32 keep-alive connections for a fixed time:

- ``ours``: a ``tomodachi.Service`` run by ``python -m tomodachi run --production --logger json``, with
  ``keepalive_timeout=75``;
- ``tomodachi029``: the same service file under tomodachi 0.29;
- ``raw_aiohttp``: ``aiohttp.web.Application`` with ``add_get("/resource/{id}", ...)`` and no access log,
  under ``web.run_app``.

Cases: ``named_group`` (services with ``access_log=False``, as the raw server has none) and
``named_group_access_log`` (the services write their access line per request, JSON on stderr, which
is discarded; the raw server still logs nothing, so the ratio shows the cost of the log line).

The load comes from ``wrk`` (``-t1 -c32``) when it is installed; when it is missing the script tries
``apt-get install -y wrk`` once (as root, bounded to two minutes), and otherwise falls back to a Python
load generator in one process (asyncio, raw sockets, the same 32 connections), which saturates sooner:
its numbers are lower for every implementation and the ratios come closer to 1. The ``load_generator``
field says which one ran. On a machine with two or more CPUs the server is pinned to CPU 0 and the load
generator to CPU 1.

Metrics: ``requests_per_sec`` (best of 3 runs of 5 s; 1 run of 2 s with ``--quick``, after a 1 s
warm-up) and ``latency_avg_ms`` (wrk only). Every subprocess is bounded in time.

Run through ``bench/run.py``, or alone: ``python bench/http_requests.py --impl ours [--quick]``. On a
busy machine the implementations, measured one after the other, see different loads; ``--interleaved``
(after ``bench/run.py`` has prepared the venvs) starts every server at once and measures them in turns
(a warm-up round, then 4 rounds of 5 s; 2 of 2 s with ``--quick``), keeping each one's best rate.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

NAME = "http_requests"
IMPLS = ("ours", "raw_aiohttp", "tomodachi029")
CONNECTIONS = 32
PATH = "/resource/1234"
EXPECTED_BODY = b"id = 1234"
READY_SECONDS = 30.0

SERVICE = """
import tomodachi


class Service(tomodachi.Service):
    name = "bench-http"
    options = tomodachi.Options(
        http=tomodachi.Options.HTTP(
            port={port}, host="127.0.0.1", keepalive_timeout=75, access_log={access_log}
        )
    )

    @tomodachi.http("GET", r"/resource/(?P<id>[^/]+?)/?")
    async def resource(self, request, id):
        return f"id = {{id}}"
"""

RAW_AIOHTTP = """
import sys
from aiohttp import web


async def resource(request):
    return web.Response(text=f"id = {request.match_info['id']}")


app = web.Application()
app.router.add_get("/resource/{id}", resource)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pin(cpu: int) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {cpu})


def start_server(
    impl: str, port: int, access_log: bool, folder: Path, python: str = sys.executable
) -> subprocess.Popen[bytes]:
    if impl == "raw_aiohttp":
        command = [python, "-c", RAW_AIOHTTP, str(port)]
    else:
        service = folder / f"bench_http_service_{port}.py"
        service.write_text(SERVICE.format(port=port, access_log=access_log))
        command = [python, "-m", "tomodachi", "run", "--production", "--logger", "json", service.name]
    return subprocess.Popen(
        command,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=lambda: pin(0),
        start_new_session=True,
    )


def wait_ready(server: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.read() == EXPECTED_BODY:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within {READY_SECONDS:.0f} s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=5)


def find_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    for command in (
        ["apt-get", "install", "-y", "wrk"],
        ["apt-get", "update"],
        ["apt-get", "install", "-y", "wrk"],
    ):
        try:
            subprocess.run(command, capture_output=True, timeout=120, check=False)
        except subprocess.TimeoutExpired:
            return None
        if shutil.which("wrk"):
            break
    return shutil.which("wrk")


_DURATION_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(wrk: str, url: str, seconds: int) -> tuple[float, float | None]:
    command = [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", url]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=True, preexec_fn=lambda: pin(1)
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"unexpected wrk output: {output!r}")
    latency = re.search(r"Latency\s+([\d.]+)(us|ms|s)\b", output)
    latency_ms = float(latency.group(1)) * _DURATION_UNITS[latency.group(2)] if latency else None
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        raise RuntimeError(f"{non_2xx.group(1)} responses were not 2xx")
    return float(rate.group(1)), latency_ms


def run_python_load(url: str, seconds: int) -> tuple[float, float | None]:
    command = [sys.executable, __file__, "--load", url, "--seconds", str(seconds)]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=True, preexec_fn=lambda: pin(1)
    ).stdout
    return float(json.loads(output)["requests_per_sec"]), None


async def _connection_loop(host: str, port: int, request: bytes, stop_at: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    loop = asyncio.get_running_loop()
    try:
        while loop.time() < stop_at:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"unexpected response: {head[:40]!r}")
            match = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            await reader.readexactly(int(match.group(1)) if match else 0)
            counts[0] += 1
    finally:
        writer.close()


async def python_load(url: str, seconds: int) -> float:
    match = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
    if match is None:
        raise ValueError(f"unsupported url {url!r}")
    host, port, path = match.group(1), int(match.group(2)), match.group(3)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: keep-alive\r\n\r\n".encode()
    counts = [0]
    loop = asyncio.get_running_loop()
    started = loop.time()
    stop_at = started + seconds
    await asyncio.gather(
        *(_connection_loop(host, port, request, stop_at, counts) for _ in range(CONNECTIONS))
    )
    return counts[0] / (loop.time() - started)


def measure(impl: str, case: str, access_log: bool, quick: bool, wrk: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"name": case, "impl": impl, "load_generator": "wrk" if wrk else "python"}
    port = free_port()
    url = f"http://127.0.0.1:{port}{PATH}"
    seconds, runs = (2, 1) if quick else (5, 3)

    def load(duration: int) -> tuple[float, float | None]:
        return run_wrk(wrk, url, duration) if wrk else run_python_load(url, duration)

    with tempfile.TemporaryDirectory(prefix="bench_http_") as folder:
        server = start_server(impl, port, access_log, Path(folder))
        try:
            wait_ready(server, url)
            load(1)  # warm-up
            best: tuple[float, float | None] = (0.0, None)
            for _ in range(runs):
                measured = load(seconds)
                if measured[0] > best[0]:
                    best = measured
            if server.poll() is not None:
                raise RuntimeError(f"the server exited with status {server.returncode}")
        except (RuntimeError, OSError, subprocess.SubprocessError, ValueError) as exc:
            result["error"] = f"{type(exc).__name__}: {exc}"
            return result
        finally:
            stop_server(server)
    result["requests_per_sec"] = round(best[0], 1)
    if best[1] is not None:
        result["latency_avg_ms"] = round(best[1], 3)
    result.update(connections=CONNECTIONS, seconds=seconds, runs=runs)
    return result


INTERPRETERS = {
    "ours": "bench/.venv-ours/bin/python",
    "raw_aiohttp": "bench/.venv-ours/bin/python",
    "tomodachi029": "bench/.venv-tomodachi029/bin/python",
}


def interleaved(quick: bool) -> int:
    """Every server at once, measured in turns, so that a busy machine slows all of them alike.

    The venvs that ``bench/run.py`` prepares must exist. Prints one JSON line per server with its best
    rate, then the ratios of ours.
    """
    root = Path(__file__).resolve().parent.parent
    wrk = find_wrk()
    seconds, rounds = (2, 2) if quick else (5, 4)
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench_http_") as folder:
        try:
            for impl in IMPLS:
                for access_log in (False, True) if impl != "raw_aiohttp" else (False,):
                    port = free_port()
                    python = str(root / INTERPRETERS[impl])
                    label = f"{impl}{'+access_log' if access_log else ''}"
                    server = start_server(impl, port, access_log, Path(folder), python)
                    servers[label] = (server, f"http://127.0.0.1:{port}{PATH}")
            for server, url in servers.values():
                wait_ready(server, url)
            for _round in range(rounds + 1):  # the first round warms up
                for label, (_server, url) in servers.items():
                    rate = run_wrk(wrk, url, seconds)[0] if wrk else run_python_load(url, seconds)[0]
                    if _round:
                        best[label] = max(best.get(label, 0.0), rate)
        finally:
            for server, _url in servers.values():
                stop_server(server)
    for label, rate in best.items():
        print(json.dumps({"server": label, "requests_per_sec": round(rate, 1)}))
    raw = best["raw_aiohttp"]
    print(
        json.dumps(
            {
                "ours/raw_aiohttp": round(best["ours"] / raw, 2),
                "tomodachi029/raw_aiohttp": round(best["tomodachi029"] / raw, 2),
                "ours+access_log/raw_aiohttp": round(best["ours+access_log"] / raw, 2),
                "tomodachi029+access_log/raw_aiohttp": round(best["tomodachi029+access_log"] / raw, 2),
                "load_generator": "wrk" if wrk else "python",
            }
        )
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--list-impls", action="store_true", help="print the implementation names as JSON")
    parser.add_argument("--impl", choices=IMPLS, help="the implementation to measure")
    parser.add_argument("--quick", action="store_true", help="one shorter run per case")
    parser.add_argument("--load", metavar="URL", help="run the Python load generator against URL")
    parser.add_argument("--seconds", type=int, default=5, help="duration of --load")
    parser.add_argument("--interleaved", action="store_true", help="measure every server in turns")
    args = parser.parse_args()
    if args.interleaved:
        return interleaved(args.quick)
    if args.list_impls:
        print(json.dumps(list(IMPLS)))
        return 0
    if args.load:
        print(json.dumps({"requests_per_sec": asyncio.run(python_load(args.load, args.seconds))}))
        return 0
    if args.impl is None:
        parser.error("give --list-impls, --impl NAME or --load URL")
    wrk = find_wrk()
    for case, access_log in (("named_group", False), ("named_group_access_log", True)):
        print(json.dumps(measure(args.impl, case, access_log, args.quick, wrk)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
