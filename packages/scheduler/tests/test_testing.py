"""The clocks of tomodachi_scheduler.testing."""

from __future__ import annotations

import asyncio
import time

import pytest

from tomodachi_middleware import handler_specs
from tomodachi_scheduler import SCHEDULE_TRANSPORT, SchedulerRuntime, ScheduleSpec, SystemClock, schedule
from tomodachi_scheduler.testing import FakeClock, FastClock, run_now, set_default_clock


async def test_fake_clock_stands_still_until_advanced() -> None:
    clock = FakeClock(100.0)
    await asyncio.sleep(0.01)
    assert clock.time() == 100.0


async def test_fake_clock_wakes_sleepers_in_order_at_their_own_moment() -> None:
    clock = FakeClock(100.0)
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, moment: float) -> None:
        await clock.sleep_until(moment)
        woke.append((name, clock.time()))

    tasks = [asyncio.create_task(sleeper("late", 130.0)), asyncio.create_task(sleeper("early", 110.0))]
    await clock.advance(20)
    assert woke == [("early", 110.0)]
    assert clock.sleepers == 1

    await clock.advance(20)
    assert woke == [("early", 110.0), ("late", 130.0)]
    assert clock.time() == 140.0
    await asyncio.gather(*tasks)


async def test_fake_clock_jump_wakes_sleepers_at_the_new_time() -> None:
    clock = FakeClock(100.0)
    woke: list[float] = []

    async def sleeper() -> None:
        await clock.sleep_until(101.0)
        woke.append(clock.time())

    task = asyncio.create_task(sleeper())
    await clock.jump(10)

    assert woke == [110.0]
    await task


async def test_sleep_until_a_past_moment_returns_at_once() -> None:
    clock = FakeClock(100.0)
    await asyncio.wait_for(clock.sleep_until(50.0), 1.0)  # a fake clock that is never advanced
    await asyncio.wait_for(SystemClock().sleep_until(0.0), 1.0)
    assert clock.sleepers == 0
    assert clock.time() == 100.0


async def test_fast_clock_runs_from_its_start_at_its_speed() -> None:
    clock = FastClock(start=1000.0, speed=100.0)
    began = time.monotonic()

    await clock.sleep_until(1010.0)

    assert clock.time() >= 1010.0
    assert 0.09 <= time.monotonic() - began < 1.0


def test_set_default_clock_is_used_by_new_runtimes_and_none_restores_the_system_clock() -> None:
    clock = FakeClock()
    set_default_clock(clock)
    try:
        assert SCHEDULE_TRANSPORT.create_runtime(object(), []).clock is clock
    finally:
        set_default_clock(None)
    assert isinstance(SCHEDULE_TRANSPORT.create_runtime(object(), []).clock, SystemClock)


class Reports:
    def __init__(self) -> None:
        self.runs: list[str] = []

    @schedule(interval="1 hour")
    async def hourly(self, invocation_time: str) -> None:
        self.runs.append(invocation_time)

    @schedule(interval="1 hour")
    async def broken(self) -> None:
        raise ValueError("no data")


async def started_runtime(service: Reports) -> SchedulerRuntime:
    specs = [spec for value in vars(Reports).values() for spec in handler_specs(value)]
    runtime = SchedulerRuntime(
        service, [spec for spec in specs if isinstance(spec, ScheduleSpec)], clock=FakeClock(0)
    )
    await runtime.start()
    await runtime.consume()
    return runtime


async def test_run_now_runs_a_handler_at_the_clock_time_and_waits_for_it() -> None:
    service = Reports()
    runtime = await started_runtime(service)
    try:
        await run_now(runtime, "hourly")
        await run_now(runtime, "Reports.hourly")
        assert service.runs == ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]
        assert runtime.total_tasks == 2
    finally:
        await runtime.drain()


async def test_run_now_logs_a_failing_run_instead_of_raising(caplog: pytest.LogCaptureFixture) -> None:
    runtime = await started_runtime(Reports())
    try:
        await run_now(runtime, "broken")
    finally:
        await runtime.drain()
    assert "no data" in caplog.text


async def test_run_now_names_the_handlers_when_there_is_no_such_one() -> None:
    runtime = await started_runtime(Reports())
    try:
        with pytest.raises(KeyError, match="scheduled: hourly, broken"):
            await run_now(runtime, "daily")
    finally:
        await runtime.drain()
