"""Clocks for the fakes of every library: the protocol they read time from, and two clocks.

- :class:`Clock`: ``time()`` (seconds since the epoch) and ``async sleep_until(moment)``; what the
  scheduler runs on, and what the in-memory SNS+SQS and RabbitMQ fakes expire messages on.
- :class:`LoopClock`: wall-clock seconds that advance with the running event loop's time.
- :class:`FakeClock`: stands still until a test moves it (``await clock.advance(60)``); every sleeper
  whose moment has come wakes, in order, and the loop runs it before ``advance`` returns.

One ``FakeClock`` given to the scheduler and to both fakes moves schedules, visibility timeouts and
message TTLs together. It lives here, the lowest library the scheduler and the transports all depend on.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FakeClock", "LoopClock", "settle"]


@runtime_checkable
class Clock(Protocol):
    """Wall-clock time, and waiting for a moment of it."""

    def time(self) -> float:
        """Return the current time in seconds since the epoch."""
        ...

    async def sleep_until(self, moment: float) -> None:
        """Return once ``time()`` has reached ``moment`` (at once when it already has)."""
        ...


class LoopClock:
    """Wall-clock seconds that advance with the running event loop's monotonic time."""

    def __init__(self) -> None:
        self._offset = time.time() - time.monotonic()

    def time(self) -> float:
        """Return the time in seconds since the epoch, as the event loop sees it."""
        try:
            now = asyncio.get_running_loop().time()
        except RuntimeError:
            now = time.monotonic()
        return self._offset + now

    async def sleep_until(self, moment: float) -> None:
        """Sleep until :meth:`time` reaches ``moment``."""
        await asyncio.sleep(max(0.0, moment - self.time()))


class FakeClock:
    """A clock that moves only when told to.

    Args:
        start: The time it shows first, in seconds since the epoch.
    """

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = float(start)
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def time(self) -> float:
        """Return the time the clock shows."""
        return self._now

    async def sleep_until(self, moment: float) -> None:
        """Wait until the clock is moved to ``moment`` or past it."""
        if moment <= self._now:
            await asyncio.sleep(0)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (moment, next(self._order), waiter))
        await waiter

    @property
    def sleepers(self) -> int:
        """How many waits are pending."""
        return sum(1 for _, _, waiter in self._sleepers if not waiter.done())

    async def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` forward, waking each sleeper at its own moment, in order.

        Raises:
            ValueError: ``seconds`` is negative.
        """
        if seconds < 0:
            raise ValueError("a clock cannot go back")
        await self.advance_to(self._now + seconds)

    async def jump(self, seconds: float) -> None:
        """Move the clock ``seconds`` forward at once, as a blocked event loop sees it: every sleeper
        whose moment has come wakes only afterwards, reading the new time."""
        self._now += seconds
        await self.advance_to(self._now)

    async def advance_to(self, moment: float) -> None:
        """Move the clock forward to ``moment``, waking each sleeper at its own moment, in order."""
        await settle()
        while self._sleepers and self._sleepers[0][0] <= moment:
            when, _, waiter = heapq.heappop(self._sleepers)
            self._now = max(self._now, when)
            if not waiter.done():
                waiter.set_result(None)
            await settle()
        self._now = max(self._now, moment)
        await settle()


async def settle(rounds: int = 20) -> None:
    """Let the event loop run what is ready, ``rounds`` times over."""
    for _ in range(rounds):
        await asyncio.sleep(0)
