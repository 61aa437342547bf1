"""Handler counts of a service under test: handled and failed runs, waits that need no sleep."""

from __future__ import annotations

import asyncio

import pytest

import tomodachi
from tomodachi.testing import run_service
from tomodachi_scheduler.testing import FakeClock, set_default_clock


class Ticker(tomodachi.Service):
    name = "ticker"

    def __init__(self) -> None:
        self.ticks = 0

    @tomodachi.schedule(interval="1 hour")
    async def tick(self) -> None:
        self.ticks += 1

    @tomodachi.schedule(interval="1 hour")
    async def broken(self, invocation_time: str = "") -> None:
        raise ValueError(f"broken at {invocation_time}")

    @tomodachi.http("GET", r"/")
    async def index(self, request: object) -> str:
        return "ok"


async def test_trigger_runs_a_scheduled_handler_now_and_counts_it() -> None:
    async with run_service(Ticker) as service:
        await service.trigger(Ticker.tick)
        await service.trigger("tick")
        assert service.instance.ticks == 2
        assert service.handled(Ticker.tick) == 2
        assert service.failed("tick") == 0


async def test_a_handler_that_raises_counts_as_failed_and_its_error_is_logged() -> None:
    async with run_service(Ticker) as service:
        await service.trigger("broken")
        await service.wait_for_failed(Ticker.broken, count=1, within=5)
        assert service.handled("broken") == 0
        assert service.failed("broken") == 1
        assert service.logs.first("broken at", handler="broken").exception is not None


async def test_wait_for_handled_wakes_when_the_count_is_reached() -> None:
    async with run_service(Ticker) as service:
        waiting = asyncio.create_task(service.wait_for_handled("tick", count=2, within=5))
        await service.trigger("tick")
        assert not waiting.done()
        await service.trigger("tick")
        await asyncio.wait_for(waiting, 5)


async def test_wait_for_handled_times_out_with_the_counts() -> None:
    async with run_service(Ticker) as service:
        with pytest.raises(TimeoutError, match="handled 0, failed 0"):
            await service.wait_for_handled("tick", within=0.05)


async def test_http_handlers_and_unknown_names_are_not_counted() -> None:
    async with run_service(Ticker) as service:
        with pytest.raises(KeyError, match="counted handlers: broken, tick"):
            await service.wait_for_handled("index", within=0.05)
        with pytest.raises(KeyError, match="no message or scheduled handler named 'tik'"):
            service.handled("tik")
        with pytest.raises(KeyError, match="no message or scheduled handler named 'index'"):
            service.failed("index")
        with pytest.raises(KeyError, match="no running scheduled handler"):
            await service.trigger("index")


async def test_schedules_follow_a_fake_clock_set_as_the_default() -> None:
    clock = FakeClock()
    set_default_clock(clock)
    try:
        async with run_service(Ticker) as service:
            await clock.advance(3600)
            await service.wait_for_handled("tick", within=5)
            await service.wait_for_failed("broken", within=5)
            assert service.instance.ticks == 1
    finally:
        set_default_clock(None)
