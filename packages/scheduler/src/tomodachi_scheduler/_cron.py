"""Cron expressions with tomodachi's field order and extensions, matched on naive wall-clock times.

Fields, separated by spaces: ``minute hour day month weekday [year]``; missing trailing fields are
``*`` (so ``"5"`` is ``"5 * * * *"``). There is no seconds field. Each field is a comma-separated
list of parts:

- ``*`` or ``?``: every value; ``N``: one value; ``A-B``: a range (a reversed range is read as the
  same range forwards, and in the weekday field ``X-sun`` runs up to Sunday);
- ``*/S``: the values divisible by ``S``; ``A/S`` and ``A-B/S``: the values (in the range) that are
  congruent to ``A`` modulo ``S``;
- month names ``jan``..``dec``, weekday names ``mon``..``sun`` (Sunday is 0, and 7 too);
- ``L`` in the day field: the last day of the month; ``L`` before weekday parts (``L5``, ``Lmon-fri``):
  the last such weekday of the month.

When both the day and the weekday fields are restricted, a day matching either one matches. Years run
from 1970 to 2099.
"""

from __future__ import annotations

import calendar
import datetime
from bisect import bisect_left
from dataclasses import dataclass, field

from ._errors import InvalidCron

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_WEEKDAYS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
# name, lowest value, highest value, value names
_FIELDS: tuple[tuple[str, int, int, dict[str, int]], ...] = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day", 1, 31, {}),
    ("month", 1, 12, _MONTHS),
    ("weekday", 0, 7, _WEEKDAYS),
    ("year", 1970, 2099, {}),
)
_ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@hourly": "0 * * * *",
    "@minutely": "* * * * *",
}
_UNRESTRICTED = ("*", "?")
_MINUTE = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class CronExpression:
    """A parsed cron expression: the values each field allows, and the ``L`` flags.

    Build one with :func:`parse_cron`. ``next_wall_time`` finds the next matching minute on a naive
    (wall-clock) time line; time zones are applied by the schedules that use it.
    """

    text: str = field(compare=False)
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: frozenset[int]
    months: tuple[int, ...]
    weekdays: frozenset[int]
    years: tuple[int, ...]
    days_restricted: bool
    weekdays_restricted: bool
    last_day: bool
    last_weekday: bool

    def matches_date(self, date: datetime.date) -> bool:
        """Return whether the day, weekday, month and year fields allow ``date``."""
        if date.year not in self.years or date.month not in self.months:
            return False
        month_length = calendar.monthrange(date.year, date.month)[1]
        day_ok = date.day in self.days and (not self.last_day or date.day == month_length)
        if not self.weekdays_restricted:
            return day_ok
        weekday_ok = date.isoweekday() % 7 in self.weekdays and (
            not self.last_weekday or date.day + 7 > month_length
        )
        if self.days_restricted:
            return day_ok or weekday_ok
        return weekday_ok

    def matches(self, moment: datetime.datetime) -> bool:
        """Return whether the minute of the naive wall-clock time ``moment`` matches every field."""
        if moment.minute not in self.minutes or moment.hour not in self.hours:
            return False
        return self.matches_date(moment.date())

    def next_wall_time(self, after: datetime.datetime) -> datetime.datetime | None:
        """Return the first matching minute strictly after ``after``.

        Args:
            after: A naive wall-clock time (any ``tzinfo`` is ignored).

        Returns:
            A naive datetime on a whole minute, or ``None`` when no later minute matches (the year
            field is exhausted).
        """
        moment = after.replace(tzinfo=None, second=0, microsecond=0, fold=0) + _MINUTE
        while True:
            year = _first_at_least(self.years, moment.year)
            if year is None:
                return None
            if year != moment.year:
                moment = datetime.datetime(year, 1, 1)
            month = _first_at_least(self.months, moment.month)
            if month is None:
                moment = datetime.datetime(moment.year + 1, 1, 1)
                continue
            if month != moment.month:
                moment = datetime.datetime(moment.year, month, 1)
            if not self.matches_date(moment.date()):
                moment = datetime.datetime(moment.year, moment.month, moment.day) + datetime.timedelta(days=1)
                continue
            hour = _first_at_least(self.hours, moment.hour)
            if hour is None:
                moment = datetime.datetime(moment.year, moment.month, moment.day) + datetime.timedelta(days=1)
                continue
            if hour != moment.hour:
                moment = moment.replace(hour=hour, minute=0)
            minute = _first_at_least(self.minutes, moment.minute)
            if minute is None:
                moment = moment.replace(minute=0) + datetime.timedelta(hours=1)
                continue
            return moment.replace(minute=minute)


def _first_at_least(values: tuple[int, ...], value: int) -> int | None:
    index = bisect_left(values, value)
    return values[index] if index < len(values) else None


def parse_cron(text: str) -> CronExpression:
    """Parse a cron expression, or an alias such as ``@daily``.

    Args:
        text: One to six fields ``minute hour day month weekday year``, or one of ``@yearly``,
            ``@annually``, ``@monthly``, ``@weekly``, ``@daily``, ``@hourly``, ``@minutely``.
            Case does not matter.

    Returns:
        The parsed expression.

    Raises:
        InvalidCron: a field is malformed or allows no value, there are more than six fields, or the
            day field names only days that no allowed month has (``0 0 30 2 *``).
    """
    if not isinstance(text, str):
        raise InvalidCron(f"Invalid cron notation: expected a string, got {text!r}")
    notation = _ALIASES.get(text.strip().lower(), text.strip().lower())
    parts = notation.split()
    if not parts:
        raise InvalidCron("Invalid cron notation: empty expression")
    if len(parts) > len(_FIELDS):
        raise InvalidCron(f"Invalid cron notation: too many fields in {text!r} (at most 6)")
    parts += ["*"] * (len(_FIELDS) - len(parts))
    values: list[frozenset[int]] = []
    flags: list[bool] = []
    for part, definition in zip(parts, _FIELDS, strict=True):
        allowed, last = _parse_field(part, *definition)
        values.append(allowed)
        flags.append(last)
    minutes, hours, days, months, weekdays, years = values
    if min(days) >= 28 and not any(
        calendar.monthrange(year, month)[1] >= min(days) for year in years for month in months
    ):
        raise InvalidCron(f"Invalid cron notation: days out of scope in {text!r}")
    return CronExpression(
        text=text,
        minutes=tuple(sorted(minutes)),
        hours=tuple(sorted(hours)),
        days=days,
        months=tuple(sorted(months)),
        weekdays=frozenset(0 if day == 7 else day for day in weekdays),
        years=tuple(sorted(years)),
        days_restricted=parts[2] not in _UNRESTRICTED,
        weekdays_restricted=parts[4] not in _UNRESTRICTED,
        last_day=flags[2],
        last_weekday=flags[4],
    )


def _parse_field(
    text: str, field: str, low: int, high: int, names: dict[str, int]
) -> tuple[frozenset[int], bool]:
    allowed: set[int] = set()
    last = False
    for part in text.split(","):
        body = part
        if field in ("day", "weekday") and body.startswith("l"):
            last = True
            body = body[1:] or "*"
            if field == "day" and body != "*":
                raise InvalidCron(f"Invalid cron notation: invalid values for day ({part}); use L alone")
        found = _parse_part(body, field, low, high, names)
        if not found:
            raise InvalidCron(f"Invalid cron notation: invalid values for {field} ({part})")
        allowed |= found
    return frozenset(allowed), last


def _parse_part(part: str, field: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    base, slash, step_text = part.partition("/")
    step = None
    if slash:
        step = _number(step_text, field, part)
        if step < 1:
            raise InvalidCron(f"Invalid cron notation: invalid step for {field} ({part})")
    if base in _UNRESTRICTED:
        candidates = range(low, high + 1)
        if step is not None:
            return {value for value in candidates if value % step == 0}
        return set(candidates)
    start_text, dash, end_text = base.partition("-")
    start = _value(start_text, field, part, names)
    if dash:
        end = _value(end_text, field, part, names)
        if field == "weekday" and end < start:
            if end_text == "sun":
                end = 7
            elif start_text in names or end_text in names:
                raise InvalidCron(f"Invalid cron notation: invalid values for weekday ({part})")
        candidates = range(min(start, end), max(start, end) + 1)
    elif step is not None:
        candidates = range(low, high + 1)
    else:
        candidates = range(start, start + 1)
    found = {value for value in candidates if low <= value <= high}
    if step is not None:
        found = {value for value in found if value % step == start % step}
    return found


def _value(text: str, field: str, part: str, names: dict[str, int]) -> int:
    if text in names:
        return names[text]
    return _number(text, field, part)


def _number(text: str, field: str, part: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise InvalidCron(f"Invalid cron notation: invalid values for {field} ({part})")
    return int(text)
