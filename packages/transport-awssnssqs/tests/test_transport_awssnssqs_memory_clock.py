"""The clocks of the in-memory AWS."""

from __future__ import annotations

import asyncio
import time

import pytest

from tomodachi_transport_awssnssqs.testing import Clock, LoopClock, ManualClock, MemoryAWS


async def test_a_manual_clock_wakes_sleepers_in_the_order_of_their_moments() -> None:
    clock = ManualClock(start=100.0)
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
        await ManualClock().advance(-1)


async def test_the_loop_clock_shows_wall_time_and_sleeps_on_the_loop() -> None:
    clock = LoopClock()
    assert abs(clock.time() - time.time()) < 1
    start = clock.time()
    await clock.sleep_until(start + 0.01)
    assert clock.time() >= start + 0.01


def test_both_clocks_fit_the_clock_protocol_and_are_what_a_memory_aws_uses() -> None:
    assert isinstance(LoopClock(), Clock)
    assert isinstance(ManualClock(), Clock)
    assert isinstance(MemoryAWS().clock, LoopClock)
