"""From wall-clock times in a zone to instants, through DST changes.

A schedule written in wall-clock terms (a cron expression, a daily time, a date and time) is read on
the zone's clock, and each wall-clock time it names runs once:

- a time that exists once runs at that instant;
- a time that a DST change repeats (the clock goes back) runs at its first occurrence only;
- a time that a DST change skips (the clock jumps forward) runs at the moment of the jump, and all
  the skipped times of one jump run once, together.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

# A wall-clock schedule: the first naive wall-clock time it names strictly after the one given.
NextWallTime = Callable[[datetime.datetime], datetime.datetime | None]


def wall_time(instant: float, zone: datetime.tzinfo) -> datetime.datetime:
    """Return the naive wall-clock time of ``instant`` (seconds since the epoch) in ``zone``."""
    return datetime.datetime.fromtimestamp(instant, zone).replace(tzinfo=None, fold=0)


def resolve_wall_time(moment: datetime.datetime, zone: datetime.tzinfo) -> float:
    """Return the instant at which the naive wall-clock time ``moment`` runs in ``zone``.

    The instant itself when the time exists once, its first occurrence when a DST change repeats it,
    and the moment of the change when a DST change skips it.
    """
    earlier = moment.replace(tzinfo=zone, fold=0).timestamp()
    later = moment.replace(tzinfo=zone, fold=1).timestamp()
    first, second = min(earlier, later), max(earlier, later)
    if wall_time(first, zone) == moment:
        return first
    if wall_time(second, zone) == moment:
        return second
    # Skipped: the jump is the first instant in (first, second] whose wall time is past ``moment``.
    low, high = first, second
    while high - low > 0.5:
        middle = (low + high) / 2
        if wall_time(middle, zone) > moment:
            high = middle
        else:
            low = middle
    return float(round(high))


def next_instant(next_wall: NextWallTime, zone: datetime.tzinfo, after: float) -> float | None:
    """Return the first instant strictly after ``after`` at which a wall-clock schedule runs.

    Args:
        next_wall: The schedule on the naive wall-clock time line.
        zone: The zone whose clock the schedule is read on.
        after: Seconds since the epoch.

    Returns:
        Seconds since the epoch, or ``None`` when the schedule names no later time.
    """
    moment = wall_time(after, zone)
    while True:
        candidate = next_wall(moment)
        if candidate is None:
            return None
        instant = resolve_wall_time(candidate, zone)
        if instant > after:
            return instant
        moment = candidate  # a repeated time whose first occurrence has passed
