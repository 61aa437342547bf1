"""``tomodachi.transport.schedule``: the scheduler's names where tomodachi 0.29 had them.

The decorators are ``tomodachi_scheduler``'s own objects. ``Scheduler`` keeps 0.29's two static
helpers that services sometimes call directly.
"""

from __future__ import annotations

from tomodachi_scheduler import OFFSET_ALIASES, parse_schedule, resolve_timezone
from tomodachi_scheduler import daily as daily
from tomodachi_scheduler import every_second as every_second
from tomodachi_scheduler import heartbeat as heartbeat
from tomodachi_scheduler import hourly as hourly
from tomodachi_scheduler import minutely as minutely
from tomodachi_scheduler import monthly as monthly
from tomodachi_scheduler import schedule as schedule
from tomodachi_scheduler import scheduler as scheduler

_CENTURY = 60 * 60 * 24 * 365 * 100


class Scheduler:
    """tomodachi 0.29's scheduler class, reduced to its static helpers."""

    @staticmethod
    def next_call_at(
        current_time: float,
        interval: int | str | None = None,
        timestamp: str | None = None,
        timezone: str | None = None,
    ) -> int:
        """Return the next run after ``current_time`` in whole seconds since the epoch.

        As in 0.29, ``interval`` wins over ``timestamp``, and with no next run the answer is a
        hundred years away.

        Raises:
            ScheduleError: a value cannot be used.
        """
        if interval is not None:
            timestamp = None
        planned = parse_schedule(interval, timestamp, timezone).next_run(current_time)
        return int(current_time + _CENTURY) if planned is None else int(planned)

    @staticmethod
    def get_timezone(timezone: str | None = None) -> str | None:
        """Return the zone name that ``timezone`` stands for (``"+02:00"`` is ``"Etc/GMT-2"``).

        Raises:
            UnknownTimezone: the zone is not known.
        """
        if not timezone:
            return timezone
        name = OFFSET_ALIASES.get(timezone.replace(" ", ""), timezone)
        resolve_timezone(name)
        return name


__all__ = [
    "Scheduler",
    "daily",
    "every_second",
    "heartbeat",
    "hourly",
    "minutely",
    "monthly",
    "schedule",
    "scheduler",
]
