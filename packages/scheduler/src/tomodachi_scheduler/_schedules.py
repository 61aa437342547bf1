"""Schedules: what an ``interval`` or a ``timestamp`` means, as pure next-run functions.

Every schedule answers one question, ``next_run(after)``: the first planned run strictly after
``after`` (seconds since the epoch), or ``None`` when there is none. Nothing here reads a clock or
needs an event loop.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Protocol

from ._cron import CronExpression, parse_cron
from ._errors import ConflictingSchedule, InvalidCron, InvalidInterval, InvalidTimestamp
from ._wallclock import next_instant, resolve_wall_time
from ._zones import resolve_timezone


class Schedule(Protocol):
    """When a scheduled handler runs."""

    def next_run(self, after: float) -> float | None:
        """Return the first planned run strictly after ``after`` (seconds since the epoch), if any."""
        ...


@dataclass(frozen=True)
class IntervalSchedule:
    """Every ``seconds`` seconds, on whole seconds: the run after ``t`` is at ``floor(t) + seconds``."""

    seconds: int

    def next_run(self, after: float) -> float | None:
        """Return ``floor(after) + seconds``."""
        return float(math.floor(after) + self.seconds)


@dataclass(frozen=True)
class CronSchedule:
    """A cron expression read on the clock of ``zone`` (see ``_wallclock`` for DST changes)."""

    expression: CronExpression
    zone: datetime.tzinfo

    def next_run(self, after: float) -> float | None:
        """Return the next matching minute after ``after``, or ``None`` past the year field."""
        return next_instant(self.expression.next_wall_time, self.zone, after)


@dataclass(frozen=True)
class DailySchedule:
    """Every day at a wall-clock time (``"22:15:30"``, ``"08:00"``) in ``zone``."""

    time: datetime.time
    zone: datetime.tzinfo

    def next_run(self, after: float) -> float | None:
        """Return the next occurrence of the time of day after ``after``."""
        return next_instant(self._next_wall_time, self.zone, after)

    def _next_wall_time(self, after: datetime.datetime) -> datetime.datetime:
        candidate = datetime.datetime.combine(after.date(), self.time)
        return candidate if candidate > after else candidate + datetime.timedelta(days=1)


@dataclass(frozen=True)
class OnceSchedule:
    """Once, at a wall-clock date and time (``"2026-12-24 08:00"``) in ``zone``."""

    moment: datetime.datetime
    zone: datetime.tzinfo

    @property
    def instant(self) -> float:
        """The moment, in seconds since the epoch."""
        return resolve_wall_time(self.moment, self.zone)

    def next_run(self, after: float) -> float | None:
        """Return the moment when it is after ``after``, else ``None``."""
        instant = self.instant
        return instant if instant > after else None


@dataclass(frozen=True)
class NeverSchedule:
    """No interval and no timestamp: no planned runs (only ``immediately``, when asked for)."""

    def next_run(self, after: float) -> float | None:
        """Return ``None``."""
        return None


_INTERVAL_ALIASES: dict[str, int | str] = {}
for _names, _value in (
    ("every second|1s|1 s|1second|1 second|second|secondly|once per second", 1),
    ("every minute|1m|1 m|1minute|1 minute|minute|minutely|once per minute", "@minutely"),
    ("every hour|1h|1 h|1hour|1 hour|hour|hourly|once per hour", "@hourly"),
    ("every day|1d|1 d|1day|1 day|day|daily|once per day|nightly", "@daily"),
    ("every month|1month|1 month|month|monthly|once per month", "@monthly"),
    ("every year|1y|1 y|1year|1 year|year|yearly|once per year|annually", "@yearly"),
    ("weekly|once per week|week|every week", "0 0 * * 1"),
    ("weekday|weekdays|every weekday", "0 0 * * 1-5"),
    ("weekend|weekends|every weekend", "0 0 * * 0,6"),
):
    _INTERVAL_ALIASES.update(dict.fromkeys(_names.split("|"), _value))
_DAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
for _number, _day in enumerate(_DAYS):
    for _name in (_day, f"{_day}s", _day[:3], f"every {_day}", f"once per {_day}"):
        _INTERVAL_ALIASES[_name] = f"0 0 * * {_number}"

_TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%H:%M:%S", "%H:%M")


def parse_interval(interval: int | str, timezone: str | None = None) -> Schedule:
    """Parse an ``interval`` as tomodachi accepts it.

    Args:
        interval: Seconds as an ``int``; a string of seconds (``"10s"``, ``"10 s"``, ``"5 seconds"``);
            an alias (``"every second"``, ``"minutely"``, ``"hourly"``, ``"daily"``, ``"nightly"``,
            ``"monthly"``, ``"yearly"``, ``"weekly"`` (Mondays), ``"tuesdays"``, ``"weekdays"``,
            ``"weekends"``, ...); or a cron expression (``"*/5 * * * *"``, ``"@daily"``, ``"0 9 * * L5"``).
            Case does not matter.
        timezone: The zone a cron expression is read in (see :func:`resolve_timezone`).

    Returns:
        An :class:`IntervalSchedule` or a :class:`CronSchedule`.

    Raises:
        InvalidInterval: not a positive number of seconds, an alias or a cron expression.
        InvalidCron: a cron expression with a bad field (an :class:`InvalidInterval` too).
        UnknownTimezone: ``timezone`` is not known.
    """
    zone = resolve_timezone(timezone)
    if isinstance(interval, bool) or not isinstance(interval, int | str):
        raise InvalidInterval(f"Invalid interval: {interval!r} (expected seconds as an int, or a string)")
    if isinstance(interval, int):
        return _seconds(interval, interval)
    text = interval.strip().lower()
    if text.endswith("s"):  # "10s", "10 s", "5 seconds"
        try:
            return _seconds(int(text.replace("seconds", "").replace("s", "").replace(" ", "")), interval)
        except ValueError:
            pass
    value = _INTERVAL_ALIASES.get(text, text)
    if isinstance(value, int):
        return IntervalSchedule(value)
    try:
        expression = parse_cron(value)
    except InvalidCron as exc:
        raise InvalidCron(f"Invalid interval: {interval!r}: {exc}") from exc
    return CronSchedule(expression, zone)


def _seconds(seconds: int, interval: int | str) -> IntervalSchedule:
    if seconds < 1:
        raise InvalidInterval(f"Invalid interval: {interval!r} (the number of seconds must be at least 1)")
    return IntervalSchedule(seconds)


def parse_timestamp(timestamp: str, timezone: str | None = None) -> Schedule:
    """Parse a ``timestamp`` as tomodachi accepts it.

    Args:
        timestamp: ``"YYYY-MM-DD HH:MM:SS"`` or ``"YYYY-MM-DD HH:MM"`` (once, at that moment) or
            ``"HH:MM:SS"`` or ``"HH:MM"`` (every day at that time).
        timezone: The zone the timestamp is read in (see :func:`resolve_timezone`).

    Returns:
        A :class:`OnceSchedule` or a :class:`DailySchedule`.

    Raises:
        InvalidTimestamp: in none of the four formats.
        UnknownTimezone: ``timezone`` is not known.
    """
    zone = resolve_timezone(timezone)
    if not isinstance(timestamp, str):
        raise InvalidTimestamp(f"Invalid timestamp: {timestamp!r} (expected a string)")
    for form in _TIMESTAMP_FORMATS:
        try:
            moment = datetime.datetime.strptime(timestamp.strip(), form)
        except ValueError:
            continue
        if form.startswith("%Y"):
            return OnceSchedule(moment, zone)
        return DailySchedule(moment.time(), zone)
    raise InvalidTimestamp(f"Invalid timestamp: {timestamp!r} (expected YYYY-MM-DD HH:MM[:SS] or HH:MM[:SS])")


def parse_schedule(
    interval: int | str | None = None, timestamp: str | None = None, timezone: str | None = None
) -> Schedule:
    """Parse the arguments of ``@schedule`` into a schedule.

    Args:
        interval: See :func:`parse_interval`.
        timestamp: See :func:`parse_timestamp`.
        timezone: The zone of wall-clock schedules; ``None`` for the machine's local zone.

    Returns:
        The schedule; a :class:`NeverSchedule` when neither ``interval`` nor ``timestamp`` is given.

    Raises:
        ConflictingSchedule: both ``interval`` and ``timestamp`` are given.
        ScheduleError: a value cannot be used (see :func:`parse_interval`, :func:`parse_timestamp`).
    """
    if interval is not None and timestamp is not None:
        raise ConflictingSchedule(
            f"Give an interval or a timestamp, not both (interval={interval!r}, timestamp={timestamp!r})"
        )
    if interval is not None:
        return parse_interval(interval, timezone)
    if timestamp is not None:
        return parse_timestamp(timestamp, timezone)
    resolve_timezone(timezone)
    return NeverSchedule()


def next_run_time(
    after: datetime.datetime,
    interval: int | str | None = None,
    timestamp: str | None = None,
    timezone: str | None = None,
) -> datetime.datetime | None:
    """Return the first planned run strictly after ``after``, as an aware datetime.

    Args:
        after: An aware datetime (a naive one is read as local time).
        interval: See :func:`parse_interval`.
        timestamp: See :func:`parse_timestamp`.
        timezone: See :func:`parse_schedule`; the result is expressed in this zone.

    Returns:
        The next run, or ``None`` when there is none.

    Raises:
        ScheduleError: the arguments cannot be used (see :func:`parse_schedule`).
    """
    instant = parse_schedule(interval, timestamp, timezone).next_run(after.timestamp())
    if instant is None:
        return None
    return datetime.datetime.fromtimestamp(instant, resolve_timezone(timezone))
