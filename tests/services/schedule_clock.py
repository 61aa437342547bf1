"""Cron and timestamp schedules on a fast clock, so that minutes pass in seconds.

SCHEDULE_CLOCK_START (ISO time) and SCHEDULE_CLOCK_SPEED (clock seconds per real second) install
tomodachi_scheduler.testing.FastClock before the service starts.
"""

import datetime
import os

import tomodachi
from tomodachi_scheduler.testing import FastClock, set_default_clock

if os.environ.get("SCHEDULE_CLOCK_START"):
    start = datetime.datetime.fromisoformat(os.environ["SCHEDULE_CLOCK_START"]).timestamp()
    set_default_clock(FastClock(start, speed=float(os.environ.get("SCHEDULE_CLOCK_SPEED", "60"))))


class Clocked(tomodachi.Service):
    name = "clocked"

    @tomodachi.minutely
    async def every_minute(self, invocation_time: str = "") -> None:
        print(f"minutely {invocation_time}", flush=True)

    @tomodachi.schedule(interval="1-59/2 * * * *", timezone="Asia/Tokyo")
    async def odd_minutes(self, invocation_time: str, interval: str) -> None:
        print(f"cron {interval!r} {invocation_time}", flush=True)

    @tomodachi.schedule(timestamp="12:02:30", timezone="UTC")
    async def daily_at(self, invocation_time: str) -> None:
        print(f"daily {invocation_time}", flush=True)

    @tomodachi.schedule(timestamp="2026-11-28 13:01", timezone="+01:00")
    async def once_at(self, invocation_time: str) -> None:
        print(f"once {invocation_time}", flush=True)
