"""Clocks for tests and benchmarks, and a way to make a service's scheduler use one.

- :class:`FakeClock` stands still until the test moves it (``await clock.advance(60)``); every sleeper
  whose moment has come wakes, in order, and the event loop runs them before ``advance`` returns.
  ``await clock.jump(5)`` moves it at once, as a blocked event loop sees time. It is
  ``tomodachi_middleware.testing.FakeClock``, the clock the transports' in-memory fakes run on too.
- :class:`FastClock` runs from a chosen start, faster than real time (``speed=60``: a minute a
  second), for end-to-end tests of cron schedules.
- :func:`set_default_clock` makes the runtimes created afterwards (by ``tomodachi run`` too) use a
  clock, for example from a test service file.
- :func:`run_now` runs one scheduled handler of a running runtime at once, as if its time had come.
"""

from __future__ import annotations

import asyncio
import time

from tomodachi_middleware.testing import FakeClock as FakeClock

from ._clock import Clock
from ._runtime import SchedulerRuntime
from ._transport import SCHEDULE_TRANSPORT

__all__ = ["FakeClock", "FastClock", "run_now", "set_default_clock"]


class FastClock:
    """A clock that starts at ``start`` and runs ``speed`` times faster than real time.

    Args:
        start: The time it shows when created, in seconds since the epoch.
        speed: Clock seconds per real second.
    """

    def __init__(self, start: float, speed: float = 60.0) -> None:
        self._start = start
        self._speed = speed
        self._origin = time.monotonic()

    def time(self) -> float:
        """Return the time the clock shows."""
        return self._start + (time.monotonic() - self._origin) * self._speed

    async def sleep_until(self, moment: float) -> None:
        """Sleep until the clock shows ``moment``."""
        remaining = moment - self.time()
        while remaining > 0:
            await asyncio.sleep(remaining / self._speed)
            remaining = moment - self.time()


def set_default_clock(clock: Clock | None) -> None:
    """Make the runtimes created from now on use ``clock``; ``None`` restores the system clock.

    Args:
        clock: Any object with ``time()`` and ``async sleep_until(moment)``.
    """
    SCHEDULE_TRANSPORT.clock = clock


async def run_now(runtime: SchedulerRuntime, handler: str) -> None:
    """Run a scheduled handler at once, as its schedule would at the clock's current time, and wait
    for the run to end. An exception of the handler is logged as a scheduled run's is, not raised.

    Args:
        runtime: A started runtime.
        handler: The handler's name (the method name) or qualified name.

    Raises:
        KeyError: the runtime has no handler of that name.
        RuntimeError: the run was not started: the handler has too many runs still going.
    """
    for job in runtime.jobs:
        if handler in (job.spec.name, job.spec.qualname):
            before = set(job.running)
            runtime._fire(job, runtime.clock.time())
            started = job.running - before
            if not started:
                raise RuntimeError(f"scheduled function {handler!r} has too many runs still going")
            await asyncio.gather(*started, return_exceptions=True)
            return
    known = ", ".join(job.spec.name for job in runtime.jobs) or "none"
    raise KeyError(f"no scheduled function {handler!r} (scheduled: {known})")
