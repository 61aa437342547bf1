"""The clocks every library's fakes run on."""

from __future__ import annotations

import asyncio
import time

import pytest

from tomodachi_middleware.testing import Clock, FakeClock, LoopClock


async def test_a_manual_clock_wakes_sleepers_in_the_order_of_their_moments() -> None:
    clock = FakeClock(start=100.0)
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, moment: float) -> None:
        await clock.sleep_until(moment)
        woke.append((name, clock.time()))

    tasks = [asyncio.create_task(sleeper("late", 110.0)), asyncio.create_task(sleeper("early", 105.0))]
    await clock.advance(4)
    assert woke == []
    await clock.advance(10)
    assert woke == [("early", 105.0), ("late", 110.0)]
    assert clock.time() == 114.0
    await asyncio.gather(*tasks)


async def test_a_manual_clock_does_not_go_back() -> None:
    with pytest.raises(ValueError, match="cannot go back"):
        await FakeClock().advance(-1)


async def test_the_loop_clock_shows_wall_time_and_sleeps_on_the_loop() -> None:
    clock = LoopClock()
    assert abs(clock.time() - time.time()) < 1
    start = clock.time()
    await clock.sleep_until(start + 0.01)
    assert clock.time() >= start + 0.01


def test_both_clocks_fit_the_clock_protocol() -> None:
    assert isinstance(LoopClock(), Clock)
    assert isinstance(FakeClock(), Clock)


async def test_a_jump_wakes_sleepers_only_after_the_clock_has_moved() -> None:
    clock = FakeClock(start=0.0)
    seen: list[float] = []

    async def sleeper() -> None:
        await clock.sleep_until(5.0)
        seen.append(clock.time())

    task = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    assert clock.sleepers == 1
    await clock.jump(10)
    await task
    assert seen == [10.0]
    assert clock.sleepers == 0
