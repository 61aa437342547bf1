"""The clock a scheduler runtime reads and waits on: a one-method-pair protocol, and the system's.

Tests and benchmarks give a runtime another clock (see ``tomodachi_scheduler.testing``).
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol

# The longest single sleep: a wall clock that is set (NTP, a suspended machine) is noticed this soon.
MAX_SLEEP = 30.0


class Clock(Protocol):
    """Wall-clock time, and waiting for a moment of it."""

    def time(self) -> float:
        """Return the current time in seconds since the epoch."""
        ...

    async def sleep_until(self, moment: float) -> None:
        """Return once ``time()`` has reached ``moment`` (at once when it already has)."""
        ...


class SystemClock:
    """The machine's clock: ``time.time()``, and sleeps on the running event loop."""

    def time(self) -> float:
        """Return ``time.time()``."""
        return time.time()

    async def sleep_until(self, moment: float) -> None:
        """Sleep until ``time.time()`` reaches ``moment``, in steps of at most 30 seconds."""
        while True:
            remaining = moment - time.time()
            if remaining <= 0:
                return
            await asyncio.sleep(min(remaining, MAX_SLEEP))
