"""Wall time of the examples' test suite (examples/tests) in memory against the same suite on real brokers.

``ours`` runs ``pytest examples/tests`` with the in-memory broker (the plugin's default);
``real_brokers`` runs the same files with ``--tomodachi-brokers=real`` (a moto server the plugin starts,
and the local RabbitMQ). Each run is a fresh pytest process, so start-up (imports, the moto server for
the real brokers) is part of the time, as it is for a developer running the suite. Tests marked to run in
memory only run in memory in both.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _convention import bench_main

NEEDS_DEV_VENV = True  # pytest and the test dependencies live in the development venv

ROOT = Path(__file__).resolve().parent.parent
IMPLS = ("ours", "real_brokers")
MODES = {"ours": "memory", "real_brokers": "real"}


def run_suite(mode: str) -> tuple[float, int]:
    """Runs the suite once; returns its wall time in ms and the number of tests that passed."""
    command = [sys.executable, "-m", "pytest", "examples/tests", "-q", "-p", "no:cacheprovider"]
    command.append(f"--tomodachi-brokers={mode}")
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if completed.returncode != 0:
        raise RuntimeError(f"the suite failed in {mode} mode:\n{completed.stdout[-2000:]}")
    summary = completed.stdout.strip().splitlines()[-1]
    passed = int(summary.split(" passed")[0].split()[-1])
    return elapsed, passed


def measure(impl: str, quick: bool) -> dict[str, Any]:
    mode = MODES[impl]
    runs = [run_suite(mode) for _ in range(1 if quick else 3)]
    return {
        "name": "examples_test_suite",
        "impl": impl,
        "suite_wall_ms": round(statistics.median(elapsed for elapsed, _ in runs), 1),
        "tests": runs[0][1],
    }


if __name__ == "__main__":
    sys.exit(bench_main(IMPLS, __doc__, "one run per mode instead of three", measure))
