"""The runtime with a fake clock: ticks, overlaps, late wake-ups, errors and stopping."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from tomodachi_middleware import handler_context, handler_specs
from tomodachi_scheduler import (
    SCHEDULE_TRANSPORT,
    HandlerError,
    InvalidCron,
    SchedulerRuntime,
    ScheduleShortcut,
    ScheduleSpec,
    heartbeat,
    invocation_time,
    minutely,
    schedule,
)
from tomodachi_scheduler.testing import FakeClock

START = 1_800_000_000.25  # 2027-01-15T08:00:00.25Z
BASE = 1_800_000_000


def specs_of(cls: type) -> list[ScheduleSpec]:
    found: list[ScheduleSpec] = []
    for value in vars(cls).values():
        found += [spec for spec in handler_specs(value) if isinstance(spec, ScheduleSpec)]
    return found


def runtime_for(service: Any, clock: FakeClock, **options: Any) -> SchedulerRuntime:
    return SchedulerRuntime(service, specs_of(type(service)), clock=clock, **options)


async def started(service: Any, clock: FakeClock, **options: Any) -> SchedulerRuntime:
    runtime = runtime_for(service, clock, **options)
    await runtime.start()
    await runtime.consume()
    await clock.advance(0)
    return runtime


class Beats:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    @heartbeat
    async def beat(self, invocation_time: str, interval: Any) -> None:
        self.calls.append((invocation_time, interval))


def test_invocation_time_is_utc_whole_seconds_with_z() -> None:
    assert invocation_time(BASE + 0.9) == "2027-01-15T08:00:00Z"


async def test_heartbeat_runs_every_whole_second_with_the_planned_time() -> None:
    clock = FakeClock(START)
    service = Beats()
    runtime = await started(service, clock)

    await clock.advance(3)

    assert service.calls == [(invocation_time(BASE + n), 1) for n in (1, 2, 3)]
    await runtime.drain()
    await runtime.close()


async def test_immediately_runs_once_at_start_then_on_the_interval() -> None:
    class Service:
        def __init__(self) -> None:
            self.times: list[str] = []

        @schedule(interval=5, immediately=True)
        async def work(self, invocation_time: str = "") -> None:
            self.times.append(invocation_time)

    clock = FakeClock(START)
    service = Service()
    runtime = await started(service, clock)
    assert service.times == [invocation_time(BASE)]

    await clock.advance(10)

    assert service.times == [invocation_time(BASE + n) for n in (0, 5, 10)]
    await runtime.drain()


async def test_a_run_names_its_handler_for_the_logs() -> None:
    class Service:
        def __init__(self) -> None:
            self.contexts: list[Any] = []

        @heartbeat
        async def beat(self) -> None:
            self.contexts.append(handler_context())

    clock = FakeClock(START)
    service = Service()
    runtime = await started(service, clock)
    await clock.advance(1)

    assert service.contexts == [
        ("tomodachi.schedule.handler", {"handler": "beat", "type": "tomodachi.schedule"})
    ]
    await runtime.drain()


async def test_cron_schedule_runs_on_minute_boundaries() -> None:
    class Service:
        def __init__(self) -> None:
            self.times: list[str] = []

        @minutely
        async def work(self, invocation_time: str) -> None:
            self.times.append(invocation_time)

    clock = FakeClock(START)
    service = Service()
    runtime = await started(service, clock)

    await clock.advance(150)

    assert service.times == ["2027-01-15T08:01:00Z", "2027-01-15T08:02:00Z"]
    await runtime.drain()


async def test_slow_runs_overlap_and_do_not_shift_the_ticks() -> None:
    release = asyncio.Event()

    class Service:
        def __init__(self) -> None:
            self.started: list[tuple[str, float]] = []

        @heartbeat
        async def slow(self, invocation_time: str) -> None:
            self.started.append((invocation_time, clock.time()))
            await release.wait()

    clock = FakeClock(START)
    service = Service()
    runtime = await started(service, clock)

    await clock.advance(4)

    assert service.started == [(invocation_time(BASE + n), BASE + n) for n in (1, 2, 3, 4)]
    assert runtime.current_tasks == 4
    release.set()
    await runtime.drain()
    assert runtime.current_tasks == 0
    assert runtime.total_tasks == 4


async def test_twenty_running_runs_skip_ticks_until_fewer_than_fifteen(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gates: list[asyncio.Event] = []

    class Service:
        @heartbeat
        async def stuck(self) -> None:
            gate = asyncio.Event()
            gates.append(gate)
            await gate.wait()

    clock = FakeClock(START)
    runtime = await started(Service(), clock)
    caplog.set_level(logging.INFO, logger="tomodachi.scheduler")

    await clock.advance(25)
    assert len(gates) == 20
    assert "too many scheduled tasks for function in scheduled function loop" in caplog.text

    for gate in gates[:5]:
        gate.set()
    await clock.advance(3)
    assert len(gates) == 20  # 15 still running: still skipping

    gates[5].set()
    await clock.advance(1)
    assert len(gates) == 21
    assert "scheduled function loop resumed as task count is within threshold" in caplog.text
    for gate in gates:
        gate.set()
    await runtime.drain()


async def test_loop_that_wakes_late_runs_once_for_the_latest_planned_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock(START)
    service = Beats()
    runtime = await started(service, clock)
    await clock.advance(1)

    await clock.jump(5.5)  # the event loop was blocked for 5.5 s
    await clock.advance(1)

    assert [time for time, _ in service.calls] == [invocation_time(BASE + n) for n in (1, 6, 7)]
    assert "scheduled function loop woke late and skipped runs" in caplog.text
    await runtime.drain()


async def test_exception_in_a_run_is_logged_and_the_schedule_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Service:
        def __init__(self) -> None:
            self.runs = 0

        @heartbeat
        async def flaky(self) -> None:
            self.runs += 1
            raise RuntimeError("database unreachable")

    clock = FakeClock(START)
    service = Service()
    runtime = await started(service, clock)

    await clock.advance(2)

    assert service.runs == 2
    records = [record for record in caplog.records if record.name == "tomodachi.scheduler"]
    assert [record.getMessage() for record in records] == ["uncaught exception: database unreachable"] * 2
    assert records[0].exc_info is not None
    assert records[0].handler == "flaky"  # type: ignore[attr-defined]
    await runtime.drain()


async def test_drain_stops_new_runs_and_awaits_running_ones() -> None:
    finished: list[str] = []

    class Service:
        @heartbeat
        async def work(self, invocation_time: str) -> None:
            await asyncio.sleep(0.05)
            finished.append(invocation_time)

    clock = FakeClock(START)
    runtime = await started(Service(), clock)
    await clock.advance(1)

    await runtime.drain()
    await clock.advance(5)

    assert finished == [invocation_time(BASE + 1)]
    assert clock.sleepers == 0
    await runtime.close()


async def test_drain_cancels_runs_still_going_after_the_grace_period(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cancelled = asyncio.Event()

    class Service:
        @heartbeat
        async def forever(self) -> None:
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.set()
                raise

    clock = FakeClock(START)
    runtime = await started(Service(), clock, grace_period=0.05)
    await clock.advance(1)

    await runtime.drain()

    assert cancelled.is_set()
    assert "cancelling task after the grace period" in caplog.text


async def test_drain_and_close_are_safe_without_start() -> None:
    runtime = runtime_for(Beats(), FakeClock(START))

    await runtime.drain()
    await runtime.close()


async def test_consume_after_drain_starts_nothing() -> None:
    clock = FakeClock(START)
    service = Beats()
    runtime = runtime_for(service, clock)
    await runtime.start()
    await runtime.drain()

    await runtime.consume()
    await clock.advance(3)

    assert service.calls == []


async def test_drain_between_start_and_consume_warns(caplog: pytest.LogCaptureFixture) -> None:
    runtime = runtime_for(Beats(), FakeClock(START))
    await runtime.start()

    await runtime.drain()

    assert "scheduled function loop never started before service termination" in caplog.text


async def test_start_refuses_a_bad_spec_naming_the_handler() -> None:
    async def report(self: Any) -> None: ...

    spec = ScheduleSpec(SCHEDULE_TRANSPORT, report, "report", interval="0 0 31 2 *")
    runtime = SchedulerRuntime(object(), [spec], clock=FakeClock(START))

    with pytest.raises(InvalidCron, match=r"scheduled function '.*report': Invalid interval"):
        await runtime.start()


async def test_start_refuses_a_sync_handler_naming_it() -> None:
    def report(self: Any) -> None: ...

    spec = ScheduleSpec(SCHEDULE_TRANSPORT, report, "report", interval=5)
    runtime = SchedulerRuntime(object(), [spec], clock=FakeClock(START))

    with pytest.raises(HandlerError, match="report' must be an async function"):
        await runtime.start()


async def test_schedule_without_interval_or_timestamp_only_runs_immediately(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Service:
        def __init__(self) -> None:
            self.runs = 0

        @schedule(immediately=True)
        async def once(self) -> None:
            self.runs += 1

        @schedule()
        async def never(self) -> None:
            raise AssertionError("never runs")

    clock = FakeClock(START)
    service = Service()
    runtime = await started(service, clock)
    await clock.advance(3600)

    assert service.runs == 1
    assert "scheduled function has no planned runs" in caplog.text
    await runtime.drain()


async def test_runs_are_named_for_the_handler_and_planned_time() -> None:
    names: list[str] = []

    class Service:
        @heartbeat
        async def beat(self) -> None:
            task = asyncio.current_task()
            assert task is not None
            names.append(task.get_name())

    clock = FakeClock(START)
    runtime = await started(Service(), clock)
    await clock.advance(1)

    assert names == [f"{Service.beat.__qualname__}/{invocation_time(BASE + 1)}"]
    await runtime.drain()


async def test_method_decorated_above_the_schedule_is_called_through_the_decorator() -> None:
    import functools

    calls: list[str] = []

    def traced(func: Any) -> Any:
        @functools.wraps(func)
        async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            calls.append("wrapper")
            return await func(self, *args, **kwargs)

        return wrapper

    class Service:
        @traced
        @heartbeat
        async def beat(self) -> None:
            calls.append("beat")

    clock = FakeClock(START)
    runtime = await started(Service(), clock)
    await clock.advance(1)

    assert calls == ["wrapper", "beat"]
    await runtime.drain()


@pytest.mark.parametrize(("decorator", "jump"), [(heartbeat, 86400.3), (minutely, 2 * 86400 + 30)])
async def test_clock_set_days_forward_gives_one_run_for_the_latest_planned_time(
    decorator: ScheduleShortcut, jump: float
) -> None:
    class Service:
        def __init__(self) -> None:
            self.times: list[str] = []

        @decorator
        async def work(self, invocation_time: str) -> None:
            self.times.append(invocation_time)

    clock = FakeClock(START)
    service = Service()
    runtime = await started(service, clock)

    await clock.jump(jump)

    latest = clock.time() // 1 if decorator is heartbeat else clock.time() // 60 * 60
    assert service.times == [invocation_time(latest)]
    await runtime.drain()


async def test_a_failing_clock_stops_its_loop_with_an_error_log(caplog: pytest.LogCaptureFixture) -> None:
    class BrokenClock(FakeClock):
        async def sleep_until(self, moment: float) -> None:
            raise OSError("clock unavailable")

    runtime = await started(Beats(), BrokenClock(START))

    assert "scheduled function loop stopped: clock unavailable" in caplog.text
    await runtime.drain()
