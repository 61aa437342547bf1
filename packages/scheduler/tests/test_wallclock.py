"""Wall-clock schedules across DST changes, checked against a brute-force minute-by-minute search."""

from __future__ import annotations

import datetime
import functools
import math
import zoneinfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tomodachi_scheduler import CronExpression, CronSchedule, parse_cron, resolve_wall_time

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MINUTE = datetime.timedelta(minutes=1)
ZONES = [
    "UTC",
    "Europe/Stockholm",
    "Europe/London",
    "America/New_York",
    "America/Santiago",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Asia/Kolkata",
    "Asia/Tehran",
    "Africa/Casablanca",
]
HORIZON_MINUTES = 3 * 24 * 60


def utc(text: str) -> float:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.UTC).timestamp()


def iso(instant: float | None) -> str | None:
    if instant is None:
        return None
    return datetime.datetime.fromtimestamp(instant, datetime.UTC).isoformat()


def test_existing_time_runs_at_its_instant() -> None:
    moment = datetime.datetime(2026, 6, 1, 12, 0)
    assert iso(resolve_wall_time(moment, STOCKHOLM)) == "2026-06-01T10:00:00+00:00"


def test_skipped_time_runs_at_the_moment_of_the_jump() -> None:
    # 2026-03-29 02:00 CET the clock jumps to 03:00 CEST (01:00 UTC).
    moment = datetime.datetime(2026, 3, 29, 2, 30)
    assert iso(resolve_wall_time(moment, STOCKHOLM)) == "2026-03-29T01:00:00+00:00"


def test_repeated_time_runs_at_its_first_occurrence() -> None:
    # 2026-10-25 03:00 CEST the clock goes back to 02:00 CET: 02:30 happens at 00:30 and 01:30 UTC.
    moment = datetime.datetime(2026, 10, 25, 2, 30)
    assert iso(resolve_wall_time(moment, STOCKHOLM)) == "2026-10-25T00:30:00+00:00"


def test_daily_run_in_a_skipped_hour_still_runs_that_day() -> None:
    schedule = CronSchedule(parse_cron("30 2 * * *"), STOCKHOLM)
    assert iso(schedule.next_run(utc("2026-03-28T12:00:00"))) == "2026-03-29T01:00:00+00:00"
    assert iso(schedule.next_run(utc("2026-03-29T01:00:00"))) == "2026-03-30T00:30:00+00:00"


def test_skipped_times_of_one_jump_run_once_together() -> None:
    schedule = CronSchedule(parse_cron("*/15 * * * *"), STOCKHOLM)
    runs = [utc("2026-03-29T00:50:00")]
    for _ in range(3):
        runs.append(schedule.next_run(runs[-1]))  # type: ignore[arg-type]
    assert [iso(run) for run in runs[1:]] == [
        "2026-03-29T01:00:00+00:00",  # 02:00, 02:15, 02:30, 02:45 and 03:00 local, all at the jump
        "2026-03-29T01:15:00+00:00",
        "2026-03-29T01:30:00+00:00",
    ]


def test_repeated_hour_runs_once() -> None:
    schedule = CronSchedule(parse_cron("0,30 * * * *"), STOCKHOLM)
    runs = [utc("2026-10-24T23:45:00")]
    for _ in range(4):
        runs.append(schedule.next_run(runs[-1]))  # type: ignore[arg-type]
    assert [iso(run) for run in runs[1:]] == [
        "2026-10-25T00:00:00+00:00",  # 02:00 CEST
        "2026-10-25T00:30:00+00:00",  # 02:30 CEST; 02:00 and 02:30 CET do not run again
        "2026-10-25T02:00:00+00:00",  # 03:00 CET
        "2026-10-25T02:30:00+00:00",
    ]


def test_next_run_from_inside_the_repeated_hour_skips_what_already_ran() -> None:
    schedule = CronSchedule(parse_cron("45 2 * * *"), STOCKHOLM)
    assert iso(schedule.next_run(utc("2026-10-25T01:10:00"))) == "2026-10-26T01:45:00+00:00"


# Brute force: walk UTC minutes and decide for each one, from its wall-clock time alone, whether it runs.


def brute_force_next(expression: CronExpression, zone: datetime.tzinfo, after: float) -> float | None:
    instant = math.floor(after / 60) * 60 + 60
    previous = datetime.datetime.fromtimestamp(instant - 60, zone).replace(tzinfo=None, fold=0)
    for _ in range(HORIZON_MINUTES):
        local = datetime.datetime.fromtimestamp(instant, zone)
        wall = local.replace(tzinfo=None, fold=0)
        runs = local.fold == 0 and expression.matches(wall)  # a repeated time runs at its first occurrence
        skipped = previous + MINUTE
        while not runs and skipped < wall:  # the clock jumped: the skipped times run now
            runs = expression.matches(skipped)
            skipped += MINUTE
        if runs:
            return float(instant)
        previous = wall
        instant += 60
    return None


@functools.cache
def transitions(zone_name: str) -> list[float]:
    zone = zoneinfo.ZoneInfo(zone_name)
    found = []
    instant = utc("2020-01-01T00:00:00")
    offset = datetime.datetime.fromtimestamp(instant, zone).utcoffset()
    while instant < utc("2031-01-01T00:00:00"):
        instant += 3600
        current = datetime.datetime.fromtimestamp(instant, zone).utcoffset()
        if current != offset:
            found.append(instant)
            offset = current
    return found or [utc("2026-01-01T00:00:00")]


def field(
    low: int, high: int, names: list[str] | None = None, wildcard_weight: int = 1
) -> st.SearchStrategy[str]:
    value = st.integers(low, high).map(str)
    if names:
        value = value | st.sampled_from(names)
    single = value
    listed = st.lists(value, min_size=2, max_size=4).map(",".join)
    ranged = st.tuples(value, value).map("-".join)
    stepped = st.integers(1, max(1, high // 2)).map(lambda step: f"*/{step}")
    stepped_range = st.tuples(st.integers(low, high), st.integers(low, high), st.integers(1, 10)).map(
        lambda parts: f"{parts[0]}-{parts[1]}/{parts[2]}"
    )
    return st.one_of([st.just("*")] * wildcard_weight + [single, listed, ranged, stepped, stepped_range])


WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


@st.composite
def expressions(draw: st.DrawFn, dense: bool = False) -> CronExpression:
    minute = draw(field(0, 59))
    hour = draw(field(0, 23, wildcard_weight=12 if dense else 4))
    if dense:
        return parse_cron(f"{minute} {hour}")
    day = draw(st.one_of(field(1, 31, wildcard_weight=12), st.just("L")))
    month = draw(field(1, 12, MONTH_NAMES, wildcard_weight=15))
    weekday = draw(field(0, 7, WEEKDAY_NAMES, wildcard_weight=6))
    if draw(st.integers(0, 5)) == 0 and weekday != "*" and not any(mark in weekday for mark in ",-/"):
        weekday = "L" + weekday
    try:
        return parse_cron(f"{minute} {hour} {day} {month} {weekday}")
    except ValueError:  # a day that no allowed month has
        return parse_cron(f"{minute} {hour}")


@st.composite
def anytime_cases(draw: st.DrawFn) -> tuple[CronExpression, str, float]:
    zone_name = draw(st.sampled_from(ZONES))
    after = draw(st.integers(int(utc("2000-01-01T00:00:00")), int(utc("2037-12-01T00:00:00"))))
    return draw(expressions()), zone_name, float(after)


@st.composite
def dst_cases(draw: st.DrawFn) -> tuple[CronExpression, str, float]:
    """Start within two hours before a DST change (or another offset change) of the zone."""
    zone_name = draw(st.sampled_from([zone for zone in ZONES if zone not in ("UTC", "Asia/Kolkata")]))
    change = draw(st.sampled_from(transitions(zone_name)))
    after = change - draw(st.integers(0, 2 * 3600)) + draw(st.sampled_from([0.0, 0.5, 59.999]))
    return draw(expressions(dense=draw(st.booleans()))), zone_name, after


cases = st.one_of(anytime_cases(), dst_cases())


@settings(max_examples=200, deadline=None)
@given(cases)
def test_next_run_matches_a_minute_by_minute_search(case: tuple[CronExpression, str, float]) -> None:
    expression, zone_name, after = case
    zone = zoneinfo.ZoneInfo(zone_name)

    found = CronSchedule(expression, zone).next_run(after)

    horizon_end = math.floor(after / 60) * 60 + 60 * HORIZON_MINUTES
    expected = brute_force_next(expression, zone, after)
    assert found is None or found > after
    assert (found if found is not None and found <= horizon_end else None) == expected, (
        expression.text,
        zone_name,
        iso(after),
        iso(found),
        iso(expected),
    )


@settings(max_examples=100, deadline=None)
@given(cases)
def test_consecutive_runs_never_repeat_or_go_back(case: tuple[CronExpression, str, float]) -> None:
    expression, zone_name, after = case
    schedule = CronSchedule(expression, zoneinfo.ZoneInfo(zone_name))
    runs = [after]
    for _ in range(5):
        following = schedule.next_run(runs[-1])
        if following is None:
            break
        runs.append(following)
    assert runs == sorted(set(runs))
