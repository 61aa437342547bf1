"""Scheduling jitter of a heartbeat handler: actual start minus planned start, over 60 ticks.

A service with one ``@tomodachi.heartbeat`` handler is written to a temporary directory and run by
``python -m tomodachi run --production`` with the interpreter this script runs under, so the
implementation is whichever ``tomodachi`` that interpreter imports. The handler reads ``time.time()``
first thing and prints it with its ``invocation_time`` (the planned start, a whole second in both
implementations); after the last tick it calls ``tomodachi.exit(0)``.

Cases, run at the same time in two processes:
- ``heartbeat_idle``: nothing else runs on the event loop;
- ``heartbeat_busy``: from ``_started_service`` on, the loop is kept busy by 50 tasks that yield to
  each other without pause (``await asyncio.sleep(0)``) and one that blocks it with 5 ms of CPU work
  every 10 ms.

Metrics, in milliseconds over the ticks: ``p50_ms`` (median), ``p99_ms``, ``max_ms``, ``mean_ms``,
and ``ticks``. 60 ticks (10 with ``--quick``), so a run takes about a minute per implementation.

Implementations:
- ``ours``: our facade and tomodachi-scheduler, run by bench/.venv-ours;
- ``tomodachi029``: tomodachi 0.29.0, run by bench/.venv-tomodachi029.

Run through ``bench/run.py``, or alone: ``python bench/schedule_jitter.py --impl ours [--quick]``.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _convention import bench_main

IMPLS = ("ours", "tomodachi029")
CASES = {"heartbeat_idle": "0", "heartbeat_busy": "1"}
SLACK_SECONDS = 30.0

SERVICE_SOURCE = """\
import asyncio
import datetime
import json
import os
import time

import tomodachi


TICKS = int(os.environ["JITTER_TICKS"])
BUSY = os.environ.get("JITTER_BUSY") == "1"


async def yielder() -> None:
    while True:
        await asyncio.sleep(0)


async def blocker() -> None:
    while True:
        until = time.perf_counter() + 0.005
        while time.perf_counter() < until:
            pass
        await asyncio.sleep(0.005)


class JitterService(tomodachi.Service):
    name = "bench-jitter"

    def __init__(self) -> None:
        self.ticks = 0
        self.load: list[asyncio.Task] = []

    @tomodachi.heartbeat
    async def beat(self, invocation_time: str = "") -> None:
        actual = time.time()
        if self.ticks >= TICKS:
            return
        planned = datetime.datetime.fromisoformat(invocation_time.replace("Z", "+00:00")).timestamp()
        print(json.dumps({"planned": planned, "actual": actual}), flush=True)
        self.ticks += 1
        if self.ticks == TICKS:
            tomodachi.exit(0)

    async def _started_service(self) -> None:
        if BUSY:
            self.load = [asyncio.ensure_future(yielder()) for _ in range(50)]
            self.load.append(asyncio.ensure_future(blocker()))

    async def _stopping_service(self) -> None:
        for task in self.load:
            task.cancel()
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(name: str, impl: str, output: str, ticks: int) -> dict[str, Any]:
    samples = []
    for line in output.splitlines():
        if line.startswith("{"):
            tick = json.loads(line)
            samples.append((tick["actual"] - tick["planned"]) * 1000.0)
    if len(samples) < ticks:
        return {"name": name, "impl": impl, "error": f"only {len(samples)} of {ticks} ticks ran"}
    return {
        "name": name,
        "impl": impl,
        "p50_ms": round(statistics.median(samples), 3),
        "p99_ms": round(percentile(samples, 0.99), 3),
        "max_ms": round(max(samples), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "ticks": len(samples),
    }


def run_impl(impl: str, quick: bool) -> list[dict[str, Any]]:
    ticks = 10 if quick else 60
    with tempfile.TemporaryDirectory(prefix="bench-jitter-") as folder:
        Path(folder, "jitter_service.py").write_text(SERVICE_SOURCE)
        processes = {}
        for name, busy in CASES.items():
            env = {**os.environ, "JITTER_TICKS": str(ticks), "JITTER_BUSY": busy, "PYTHONUNBUFFERED": "1"}
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", "tomodachi", "run", "--production", "jitter_service.py"],
                cwd=folder,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                start_new_session=True,
            )
        results = []
        for name, process in processes.items():
            try:
                stdout, stderr = process.communicate(timeout=ticks + SLACK_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                stdout, stderr = process.communicate()
                results.append({"name": name, "impl": impl, "error": "timed out"})
                continue
            result = summary(name, impl, stdout, ticks)
            if "error" in result:
                tail = " | ".join(stderr.strip().splitlines()[-3:])
                result["error"] += f" (exit {process.returncode}: {tail})"
            results.append(result)
    return results


if __name__ == "__main__":
    sys.exit(bench_main(IMPLS, __doc__, "10 ticks instead of 60", run_impl))
