"""Start-up time, idle memory and import time of a minimal service, run by ``tomodachi run``.

The service is written to a temporary directory: a ``tomodachi.Service`` subclass with only the lifecycle
hooks ``_start_service`` and ``_started_service``, both empty. Every process is started by this script
with the interpreter it runs under, so the implementation is whichever ``tomodachi`` that interpreter
imports.

Cases:
- ``startup_to_ready``: wall time from spawning ``python -m tomodachi run --production --logger json
  service.py`` until its stderr carries the JSON log line whose message is ``started service
  successfully``; then the process gets SIGTERM and must exit with status 0. One unmeasured warm-up start,
  then ``p50_ms`` and ``min_ms`` of 15 starts (5 with ``--quick``).
- ``idle_rss``: the same service's resident memory (``VmRSS`` from ``/proc/<pid>/status``, with any child
  processes added): ``rss_ready_mb`` as soon as it is ready, ``rss_mb`` after 1 s idle, and at that moment
  ``peak_rss_mb`` (``VmHWM``) and ``rss_anon_mb`` (``RssAnon``: the anonymous part of the resident set, the
  heap that each more process of a service adds, where shared libraries and files are not counted).
  Median of 3 starts (1 with ``--quick``).
- ``import_time``: ``import_ms``, the cumulative time that ``python -X importtime -c "import tomodachi"``
  gives the ``tomodachi`` line, best of 7 runs (3 with ``--quick``); ``import_tomodachi_wall_ms``, the
  median wall time of ``python -c "import tomodachi"`` less the median of ``python -c "pass"`` (which is
  reported as ``python_pass_wall_ms``), over 15 interleaved pairs (5 with ``--quick``). The five modules
  with the largest cumulative import times under ``tomodachi`` are listed in ``heaviest_imports``.

Every subprocess has a timeout; one that runs past it is killed (with its process group) and the case
reports an ``error`` line.

Implementations:
- ``ours``: our facade, run by bench/.venv-ours (our packages only, no development tools);
- ``tomodachi029``: tomodachi 0.29.0, run by bench/.venv-tomodachi029.

Run through ``bench/run.py``, or alone: ``python bench/service_startup.py --impl ours [--quick]``.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from _convention import bench_main

IMPLS = ("ours", "tomodachi029")
CASES = ("startup_to_ready", "idle_rss", "import_time")
READY_MESSAGE = "started service successfully"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0
RUN_TIMEOUT = 30.0
IDLE_SECONDS = 1.0
TAIL_LINES = 20

SERVICE_SOURCE = """\
import tomodachi



class StartupBenchService(tomodachi.Service):
    name = "bench-startup"

    async def _start_service(self) -> None:
        pass

    async def _started_service(self) -> None:
        pass
"""


class CaseError(Exception):
    """A case could not be measured; the message goes into its ``error`` line."""


@dataclass(frozen=True)
class Sizes:
    starts: int
    rss_starts: int
    importtime_runs: int
    wall_pairs: int


def sizes(quick: bool) -> Sizes:
    if quick:
        return Sizes(starts=5, rss_starts=1, importtime_runs=3, wall_pairs=5)
    return Sizes(starts=15, rss_starts=3, importtime_runs=7, wall_pairs=15)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env


def tail(lines: list[str]) -> str:
    return " | ".join(line.strip() for line in lines[-TAIL_LINES:] if line.strip())


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kills the process and whatever it started (it leads its own session), then reaps it."""
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()


def is_ready_line(line: bytes) -> bool:
    if READY_MESSAGE.encode() not in line:
        return False
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and READY_MESSAGE in (record.get("message"), record.get("event"))


class RunningService:
    """A ``tomodachi run`` process of the bench service, started in its own session."""

    def __init__(self, service_file: Path) -> None:
        command = [
            sys.executable,
            "-m",
            "tomodachi",
            "run",
            "--production",
            "--logger",
            "json",
            service_file.name,
        ]
        self.lines: list[str] = []
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            cwd=service_file.parent,
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def wait_ready(self) -> float:
        """Reads stderr until the ready line and returns the seconds since the spawn.

        Raises:
            CaseError: the process exited first, or was not ready within START_TIMEOUT (it is killed).
        """
        assert self.process.stderr is not None
        fd = self.process.stderr.fileno()
        deadline = self.started + START_TIMEOUT
        pending = b""
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    kill_group(self.process)
                    raise CaseError(
                        f"not ready after {START_TIMEOUT:g} s, killed; stderr: {tail(self.lines)}"
                    )
                if not selector.select(remaining):
                    continue
                chunk = os.read(fd, 65536)
                now = time.perf_counter()
                if not chunk:
                    status = self.wait_exit()
                    raise CaseError(f"exited with status {status} before ready; stderr: {tail(self.lines)}")
                *complete, pending = (pending + chunk).split(b"\n")
                for line in complete:
                    self.lines.append(line.decode(errors="replace"))
                    if is_ready_line(line):
                        return now - self.started

    def wait_exit(self) -> int:
        """Waits for the process to end, draining stderr, and returns its exit status."""
        try:
            _, rest = self.process.communicate(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            kill_group(self.process)
            raise CaseError(f"did not exit within {STOP_TIMEOUT:g} s, killed") from exc
        self.lines += rest.decode(errors="replace").splitlines()
        return self.process.returncode

    def stop(self) -> None:
        """Sends SIGTERM and checks that the process exits with status 0.

        Raises:
            CaseError: it exited with another status, or not within STOP_TIMEOUT (it is killed).
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        status = self.wait_exit()
        if status != 0:
            raise CaseError(f"exit status {status} after SIGTERM; stderr: {tail(self.lines)}")

    def kill(self) -> None:
        if self.process.poll() is None:
            kill_group(self.process)


@contextmanager
def running_service(service_file: Path) -> Iterator[RunningService]:
    """Starts the service; stops it with SIGTERM when the block ends, or kills it if the block failed."""
    service = RunningService(service_file)
    try:
        yield service
    except BaseException:
        service.kill()
        raise
    service.stop()


def descendants(pid: int) -> list[int]:
    """The pids of the processes under ``pid``, from the parent pids in /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name in parentheses may hold spaces; the parent pid is the second field after it.
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    queue = [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise CaseError(f"no {field} in /proc/{pid}/status")


def tree_mb(pid: int, field: str) -> float:
    """The sum of ``field`` (a kB line of /proc/<pid>/status) over the process and its descendants."""
    return sum(status_kb(each, field) for each in [pid, *descendants(pid)]) / 1024


def startup_to_ready(service_file: Path, size: Sizes) -> dict[str, Any]:
    with running_service(service_file) as warm_up:
        warm_up.wait_ready()
    times: list[float] = []
    for _ in range(size.starts):
        with running_service(service_file) as service:
            times.append(service.wait_ready())
    return {
        "p50_ms": round(statistics.median(times) * 1000, 1),
        "min_ms": round(min(times) * 1000, 1),
        "runs": len(times),
    }


def idle_rss(service_file: Path, size: Sizes) -> dict[str, Any]:
    ready: list[float] = []
    idle: list[float] = []
    peak: list[float] = []
    anon: list[float] = []
    processes = 1
    for _ in range(size.rss_starts):
        with running_service(service_file) as service:
            service.wait_ready()
            pid = service.process.pid
            ready.append(tree_mb(pid, "VmRSS"))
            time.sleep(IDLE_SECONDS)
            idle.append(tree_mb(pid, "VmRSS"))
            peak.append(tree_mb(pid, "VmHWM"))
            anon.append(tree_mb(pid, "RssAnon"))
            processes = 1 + len(descendants(pid))
    return {
        "rss_mb": round(statistics.median(idle), 2),
        "rss_ready_mb": round(statistics.median(ready), 2),
        "peak_rss_mb": round(statistics.median(peak), 2),
        "rss_anon_mb": round(statistics.median(anon), 2),
        "processes": processes,
        "runs": len(idle),
    }


def run_python(args: list[str], cwd: Path) -> tuple[float, str]:
    """Runs the interpreter with ``args`` and returns its wall time in seconds and its stderr.

    Raises:
        CaseError: it failed, or ran past RUN_TIMEOUT (it is killed).
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env=child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, err = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        kill_group(process)
        raise CaseError(f"python {' '.join(args)} ran past {RUN_TIMEOUT:g} s, killed") from exc
    elapsed = time.perf_counter() - started
    stderr = err.decode(errors="replace")
    if process.returncode != 0:
        raise CaseError(
            f"python {' '.join(args)} exited with status {process.returncode}: {tail(stderr.splitlines())}"
        )
    return elapsed, stderr


@dataclass(frozen=True)
class ImportLine:
    cumulative_us: int
    depth: int
    module: str


def parse_importtime(stderr: str) -> list[ImportLine]:
    """The lines of ``-X importtime``: ``import time: <self us> | <cumulative us> | <indent><module>``."""
    parsed: list[ImportLine] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        fields = line.removeprefix("import time:").split("|")
        if len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        name = fields[2].rstrip()
        indent = len(name) - len(name.lstrip())
        parsed.append(ImportLine(int(fields[1]), indent // 2, name.strip()))
    return parsed


def heaviest_under(lines: list[ImportLine], top: ImportLine, count: int) -> str:
    """The ``count`` modules imported (at any depth) under ``top`` with the largest cumulative times."""
    # Children are printed before their parent: walk back from the parent while the depth is deeper.
    index = lines.index(top)
    below: list[ImportLine] = []
    for line in reversed(lines[:index]):
        if line.depth <= top.depth:
            break
        below.append(line)
    # Count each top package once, at its line with the largest cumulative time (where it was first imported).
    largest: dict[str, ImportLine] = {}
    for line in below:
        root = line.module.split(".")[0]
        if root == top.module:
            continue
        if root not in largest or line.cumulative_us > largest[root].cumulative_us:
            largest[root] = line
    heaviest = sorted(largest.values(), key=lambda line: line.cumulative_us, reverse=True)[:count]
    return ", ".join(f"{line.module} {line.cumulative_us / 1000:.1f} ms" for line in heaviest)


def import_time(workdir: Path, size: Sizes) -> dict[str, Any]:
    best: tuple[int, str] | None = None
    for _ in range(size.importtime_runs):
        _, stderr = run_python(["-X", "importtime", "-c", "import tomodachi"], workdir)
        lines = parse_importtime(stderr)
        tops = [line for line in lines if line.module == "tomodachi"]
        if not tops:
            raise CaseError(f"no 'tomodachi' line in -X importtime output: {tail(stderr.splitlines())}")
        if best is None or tops[0].cumulative_us < best[0]:
            best = (tops[0].cumulative_us, heaviest_under(lines, tops[0], 5))
    assert best is not None
    passes: list[float] = []
    imports: list[float] = []
    for _ in range(size.wall_pairs):
        passes.append(run_python(["-c", "pass"], workdir)[0])
        imports.append(run_python(["-c", "import tomodachi"], workdir)[0])
    return {
        "import_ms": round(best[0] / 1000, 1),
        "import_tomodachi_wall_ms": round((statistics.median(imports) - statistics.median(passes)) * 1000, 1),
        "python_pass_wall_ms": round(statistics.median(passes) * 1000, 1),
        "heaviest_imports": best[1],
    }


def emit(line: dict[str, Any]) -> None:
    print(json.dumps(line), flush=True)


def installed_version() -> str:
    try:
        return metadata.version("tomodachi")
    except metadata.PackageNotFoundError as exc:
        raise CaseError("tomodachi is not installed in this interpreter") from exc


def check_impl(impl: str, version: str) -> None:
    """Refuses to measure the wrong tomodachi: 0.29.0 for ``tomodachi029``, and anything else for ours."""
    if (impl == "tomodachi029") != (version == "0.29.0"):
        raise CaseError(f"{sys.executable} has tomodachi {version}, not the one of impl {impl!r}")


def run_impl(impl: str, quick: bool) -> None:
    size = sizes(quick)
    try:
        version = installed_version()
        check_impl(impl, version)
    except CaseError as exc:
        for case in CASES:
            emit({"name": case, "impl": impl, "error": str(exc)})
        return
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as directory:
        workdir = Path(directory)
        service_file = workdir / "startup_service.py"
        service_file.write_text(SERVICE_SOURCE)
        cases: dict[str, Callable[[], dict[str, Any]]] = {
            "startup_to_ready": lambda: startup_to_ready(service_file, size),
            "idle_rss": lambda: idle_rss(service_file, size),
            "import_time": lambda: import_time(workdir, size),
        }
        for case in CASES:
            try:
                metrics = cases[case]()
            except Exception as exc:
                emit({"name": case, "impl": impl, "error": f"{type(exc).__name__}: {exc}"})
            else:
                emit({"name": case, "impl": impl, **metrics, "version": version})


if __name__ == "__main__":
    sys.exit(bench_main(IMPLS, __doc__, "fewer starts and runs", run_impl))
