"""``tomodachi run`` with scheduled handlers: heartbeat, intervals, cron and timestamps, bad input."""

from __future__ import annotations

import datetime
import itertools
import re
import signal

import pytest
from tomodachi_process import Processes


def gaps(times: list[str]) -> list[float]:
    """The seconds between consecutive invocation times."""
    instants = [datetime.datetime.fromisoformat(time.replace("Z", "+00:00")).timestamp() for time in times]
    return [later - earlier for earlier, later in itertools.pairwise(instants)]


def test_heartbeat_and_interval_with_immediately_run_on_whole_seconds(processes: Processes) -> None:
    process = processes.start("run", "--production", "schedule_heartbeat.py")
    process.wait_for("beat ", count=3)
    process.wait_for("every_two ", count=2)
    process.send(signal.SIGTERM)

    assert process.wait() == 0
    beats = re.findall(r"^beat (\S+)$", process.stdout, re.MULTILINE)
    every_two = re.findall(r"^every_two interval=2 (\S+)$", process.stdout, re.MULTILINE)
    # Planned on whole seconds, one interval apart (a loop held up by a loaded machine skips, never drifts).
    assert gaps(beats)
    assert all(gap >= 1 and gap == int(gap) for gap in gaps(beats))
    assert 1.0 in gaps(beats)
    assert gaps(every_two)
    assert all(gap >= 2 and gap % 2 == 0 for gap in gaps(every_two))
    assert "middleware called" not in process.stdout  # http_ and message_middleware do not wrap them


def test_immediately_runs_right_after_started_service(processes: Processes) -> None:
    process = processes.start("run", "--production", "schedule_heartbeat.py")
    process.wait_for("every_two ")
    process.send(signal.SIGTERM)
    process.wait()

    lines = process.stdout.splitlines()
    assert lines.index("hook: _started_service") < next(
        index for index, line in enumerate(lines) if line.startswith("every_two ")
    )
    assert not any(line.startswith("beat ") for line in lines[: lines.index("hook: _started_service")])


def test_stopping_awaits_runs_in_progress(processes: Processes) -> None:
    process = processes.start("run", "--production", "schedule_heartbeat.py")
    process.wait_for("slow started", count=3)
    process.send(signal.SIGTERM)

    assert process.wait() == 0
    assert process.stdout.count("slow started") == process.stdout.count("slow finished")
    output = process.stdout + process.stderr
    assert output.rindex("slow finished") < output.index("terminated service")


def test_cron_and_timestamp_schedules_fire_at_their_wall_clock_times(processes: Processes) -> None:
    # A fast clock: it starts at 11:59 UTC (2 s of real time before 12:00) and runs 30 times faster.
    env = {"TZ": "UTC", "SCHEDULE_CLOCK_START": "2026-11-28T11:59:00+00:00", "SCHEDULE_CLOCK_SPEED": "30"}
    process = processes.start("run", "--production", "schedule_clock.py", env=env)
    process.wait_for("minutely 2026-11-28T12:03:00Z", timeout=30)
    process.send(signal.SIGTERM)

    assert process.wait() == 0
    runs = [
        line
        for line in process.stdout.splitlines()
        if line.split(" ")[0] in {"minutely", "cron", "daily", "once"}
    ]
    assert sorted(runs) == sorted(
        [
            "minutely 2026-11-28T12:00:00Z",
            "minutely 2026-11-28T12:01:00Z",
            "minutely 2026-11-28T12:02:00Z",
            "minutely 2026-11-28T12:03:00Z",
            "cron '1-59/2 * * * *' 2026-11-28T12:01:00Z",
            "cron '1-59/2 * * * *' 2026-11-28T12:03:00Z",
            "once 2026-11-28T12:01:00Z",
            "daily 2026-11-28T12:02:30Z",
        ]
    )


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("cron", "scheduled function 'BadSchedule.report': Invalid interval: '0 0 30 2 *'"),
        ("timezone", "scheduled function 'BadSchedule.report': Unknown timezone: Mars/Olympus"),
        ("both", "scheduled function 'BadSchedule.report': Give an interval or a timestamp, not both"),
        ("sync", "scheduled function 'BadSchedule.report' must be an async function"),
    ],
)
def test_bad_schedule_stops_the_service_with_exit_code_1_naming_the_handler(
    processes: Processes, bad: str, message: str
) -> None:
    process = processes.run("run", "--production", "schedule_bad.py", env={"BAD_SCHEDULE": bad})

    assert process.process.returncode == 1
    assert message in process.stderr
    assert "started service successfully" not in process.stderr
