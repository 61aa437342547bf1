"""Scheduled-run interceptors: they run around each run and see its planned time and schedule."""

from __future__ import annotations

from typing import Any

from tomodachi_middleware import ScheduledRun, handler_specs, intercept_scheduled_runs
from tomodachi_scheduler import SchedulerRuntime, ScheduleSpec, heartbeat, invocation_time
from tomodachi_scheduler.testing import FakeClock

START = 1_800_000_000.25
BASE = 1_800_000_000


class Beats:
    def __init__(self) -> None:
        self.calls: list[str] = []

    @heartbeat
    async def beat(self) -> None:
        self.calls.append("beat")


async def test_an_interceptor_runs_around_each_scheduled_run_with_its_planned_time() -> None:
    seen: list[tuple[str, str, Any, list[str]]] = []
    service = Beats()

    async def interceptor(run: ScheduledRun, call: Any) -> Any:
        before = list(service.calls)
        result = await call()
        seen.append((run.handler, run.invocation_time, run.interval, before))
        return result

    specs = [spec for spec in handler_specs(Beats.beat) if isinstance(spec, ScheduleSpec)]
    clock = FakeClock(START)
    runtime = SchedulerRuntime(service, specs, clock=clock)
    remove = intercept_scheduled_runs(interceptor)
    try:
        await runtime.start()
        await runtime.consume()
        await clock.advance(2)
    finally:
        remove()
        await runtime.drain()
    assert service.calls == ["beat", "beat"]
    assert seen == [
        ("beat", invocation_time(BASE + 1), 1, []),
        ("beat", invocation_time(BASE + 2), 1, ["beat"]),
    ]
