"""The clocks of the in-memory AWS: one on the event loop's time, and one that moves only when told to."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """What :class:`MemoryAWS` needs of a clock (``tomodachi_scheduler.testing.FakeClock`` fits).

    ``time()`` is in seconds since the epoch: message timestamps are read from it.
    """

    def time(self) -> float: ...

    async def sleep_until(self, moment: float) -> None: ...


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


class ManualClock:
    """A clock that stands still until :meth:`advance` moves it; sleepers wake in order of their moment.

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
        """Wait until the clock has been moved to ``moment`` or past it."""
        if moment <= self._now:
            await asyncio.sleep(0)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (moment, next(self._order), waiter))
        await waiter

    async def advance(self, seconds: float) -> None:
        """Move the clock ``seconds`` forward, letting the loop run at each sleeper's moment.

        Args:
            seconds: How far to move it; not negative.

        Raises:
            ValueError: ``seconds`` is negative.
        """
        if seconds < 0:
            raise ValueError("a clock cannot go back")
        target = self._now + seconds
        await settle()
        while self._sleepers and self._sleepers[0][0] <= target:
            moment, _, waiter = heapq.heappop(self._sleepers)
            self._now = max(self._now, moment)
            if not waiter.done():
                waiter.set_result(None)
                await settle()
        self._now = target
        await settle()


async def settle(rounds: int = 20) -> None:
    """Let the event loop run what is ready, ``rounds`` times over."""
    for _ in range(rounds):
        await asyncio.sleep(0)
