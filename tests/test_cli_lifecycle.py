"""``tomodachi run`` as a user runs it: lifecycle order, signals and exit codes."""

from __future__ import annotations

import signal

import pytest
from tomodachi_process import Processes

HOOK_ORDER = [
    "hook: _start_service",
    "hook: _started_service",
    "hook: _stopping_service",
    "hook: _stop_service",
]


def hook_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("hook: ")]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_the_service_through_every_hook_in_order(
    processes: Processes, signum: signal.Signals
) -> None:
    process = processes.start("run", "--production", "lifecycle.py")
    process.wait_for("started service successfully")

    process.send(signum)

    assert process.wait() == 0
    assert hook_lines(process.stdout) == HOOK_ORDER
    assert "terminated service" in process.stderr
    expected = "received termination signal" if signum == signal.SIGTERM else "interrupt signal <ctrl+c>"
    assert expected in process.stderr


def test_lifecycle_log_lines_come_in_order(processes: Processes) -> None:
    process = processes.start("run", "--production", "lifecycle.py")
    process.wait_for("started service successfully")
    process.send(signal.SIGTERM)
    process.wait()

    lines = [
        "initializing service instance",
        "starting the service",
        "enabled handler functions",
        "started service successfully",
        "stopping service",
        "terminated service",
    ]
    positions = [process.stderr.find(line) for line in lines]
    assert -1 not in positions, process.stderr
    assert positions == sorted(positions)


def test_exception_in_start_hook_exits_1_and_still_runs_stop_hook(processes: Processes) -> None:
    process = processes.run("run", "--production", "start_fails.py")

    assert process.process.returncode == 1
    assert hook_lines(process.stdout) == ["hook: _stop_service"]
    assert "uncaught exception: database unreachable" in process.stderr
    assert "failed to start service" in process.stderr
    assert "started service successfully" not in process.stderr


@pytest.mark.parametrize(("exit_code", "expected"), [("0", 0), ("7", 7), ("assigned", 4)])
def test_tomodachi_exit_sets_the_exit_code(processes: Processes, exit_code: str, expected: int) -> None:
    process = processes.run("run", "--production", "exits.py", env={"EXIT_CODE": exit_code})

    assert process.process.returncode == expected
    assert hook_lines(process.stdout) == ["hook: _stop_service"]
    assert f"tomodachi.exit [{expected}] was called" in process.stderr


def test_file_without_handlers_or_hooks_exits_1(processes: Processes) -> None:
    process = processes.run("run", "--production", "no_handlers.py")

    assert process.process.returncode == 1
    assert "no transport handlers defined" in process.stderr


def test_missing_service_file_exits_1(processes: Processes) -> None:
    process = processes.run("run", "--production", "does_not_exist.py")

    assert process.process.returncode == 1
    assert "no such service file: does_not_exist.py" in process.stderr


def test_two_services_in_one_file_start_and_stop_together(processes: Processes) -> None:
    process = processes.start("run", "--production", "two_services.py")
    process.wait_for("started service successfully", count=2)
    process.send(signal.SIGTERM)

    assert process.wait() == 0
    assert "started: first True" in process.stdout
    assert "started: second" in process.stdout
    assert process.stderr.count("state=terminated") == 2


def test_uvloop_is_used_when_asked_for(processes: Processes) -> None:
    process = processes.run("run", "--production", "--loop", "uvloop", "loop_printer.py")

    assert process.process.returncode == 0
    assert "event_loop: uvloop" in process.stdout


def test_asyncio_loop_is_used_when_asked_for(processes: Processes) -> None:
    process = processes.run("run", "--production", "--loop", "asyncio", "loop_printer.py")

    assert process.process.returncode == 0
    assert "event_loop: asyncio" in process.stdout
