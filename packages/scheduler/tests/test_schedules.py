"""What an interval or a timestamp means, as next-run times."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from tomodachi_scheduler import (
    ConflictingSchedule,
    CronSchedule,
    DailySchedule,
    IntervalSchedule,
    InvalidCron,
    InvalidInterval,
    InvalidTimestamp,
    NeverSchedule,
    OnceSchedule,
    UnknownTimezone,
    next_run_time,
    parse_interval,
    parse_schedule,
    parse_timestamp,
)

AFTER = datetime.datetime(2026, 11, 28, 16, 46, 44, 250000, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("interval", "seconds"), [(5, 5), ("10s", 10), ("10 S", 10), ("5 seconds", 5)])
def test_seconds_forms_are_intervals(interval: Any, seconds: int) -> None:
    assert parse_interval(interval) == IntervalSchedule(seconds)


def test_interval_runs_on_whole_seconds_from_the_given_time() -> None:
    assert IntervalSchedule(5).next_run(100.7) == 105.0
    assert IntervalSchedule(5).next_run(105.0) == 110.0


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("every second", IntervalSchedule(1)),
        ("Once Per Second", IntervalSchedule(1)),
        ("minutely", "* * * * *"),
        ("hourly", "0 * * * *"),
        ("nightly", "0 0 * * *"),
        ("monthly", "0 0 1 * *"),
        ("annually", "0 0 1 1 *"),
        ("weekly", "0 0 * * 1"),
        ("sundays", "0 0 * * 0"),
        ("every friday", "0 0 * * 5"),
        ("once per sat", None),
        ("weekdays", "0 0 * * 1-5"),
        ("every weekend", "0 0 * * 0,6"),
    ],
)
def test_aliases_mean_what_tomodachi_meant(alias: str, expected: Any) -> None:
    if expected is None:
        with pytest.raises(InvalidInterval):
            parse_interval(alias, "UTC")
        return
    schedule = parse_interval(alias, "UTC")
    if isinstance(expected, IntervalSchedule):
        assert schedule == expected
    else:
        assert isinstance(schedule, CronSchedule)
        assert schedule == parse_interval(expected, "UTC")


@pytest.mark.parametrize("interval", ["every 5 seconds", "5m", "5 minutes", "0s", "-5s", "soon"])
def test_forms_tomodachi_refused_are_refused(interval: str) -> None:
    with pytest.raises(InvalidInterval, match="Invalid interval"):
        parse_interval(interval)


@pytest.mark.parametrize("interval", [0, -1, True, 1.5, None, b"5"])
def test_non_positive_or_non_integer_seconds_are_refused(interval: Any) -> None:
    with pytest.raises(InvalidInterval):
        parse_interval(interval)


def test_bad_cron_is_an_invalid_cron_naming_the_interval() -> None:
    with pytest.raises(InvalidCron, match=r"'61 \* \* \* \*'.*minute"):
        parse_interval("61 * * * *")


def test_cron_interval_is_read_in_the_time_zone() -> None:
    found = next_run_time(AFTER, "0 9 * * *", timezone="Asia/Tokyo")
    assert found is not None
    assert found.isoformat() == "2026-11-29T09:00:00+09:00"


def test_timestamp_with_a_date_runs_once() -> None:
    schedule = parse_timestamp("2026-12-24 08:00", "Europe/Stockholm")
    assert isinstance(schedule, OnceSchedule)
    moment = datetime.datetime(2026, 12, 24, 7, 0, tzinfo=datetime.UTC).timestamp()
    assert schedule.next_run(AFTER.timestamp()) == moment
    assert schedule.next_run(moment) is None


def test_timestamp_with_seconds_keeps_them() -> None:
    found = next_run_time(AFTER, timestamp="2026-11-28 17:00:30", timezone="UTC")
    assert found is not None
    assert found.isoformat() == "2026-11-28T17:00:30+00:00"


def test_time_of_day_runs_daily() -> None:
    schedule = parse_timestamp("22:15:30", "UTC")
    assert isinstance(schedule, DailySchedule)
    first = schedule.next_run(AFTER.timestamp())
    assert first == datetime.datetime(2026, 11, 28, 22, 15, 30, tzinfo=datetime.UTC).timestamp()
    assert schedule.next_run(first) == first + 86400


def test_time_of_day_already_passed_runs_tomorrow() -> None:
    found = next_run_time(AFTER, timestamp="08:00", timezone="UTC")
    assert found is not None
    assert found.isoformat() == "2026-11-29T08:00:00+00:00"


@pytest.mark.parametrize("timestamp", ["2026-12-24", "noon", "25:00", "2026-12-24T08:00", ""])
def test_other_timestamps_are_refused(timestamp: str) -> None:
    with pytest.raises(InvalidTimestamp, match="Invalid timestamp"):
        parse_timestamp(timestamp)


def test_interval_and_timestamp_together_are_refused() -> None:
    with pytest.raises(ConflictingSchedule, match="not both"):
        parse_schedule(interval=5, timestamp="08:00")


def test_neither_interval_nor_timestamp_never_runs() -> None:
    assert parse_schedule() == NeverSchedule()
    assert NeverSchedule().next_run(0.0) is None
    assert next_run_time(AFTER) is None


@pytest.mark.parametrize(
    "arguments", [{}, {"interval": 5}, {"interval": "10s"}, {"interval": "@daily"}, {"timestamp": "08:00"}]
)
def test_unknown_time_zone_is_refused_whatever_the_schedule(arguments: dict[str, Any]) -> None:
    with pytest.raises(UnknownTimezone, match="Unknown timezone: Mars/Olympus"):
        parse_schedule(**arguments, timezone="Mars/Olympus")


def test_next_run_time_is_expressed_in_the_schedule_zone() -> None:
    found = next_run_time(AFTER, "hourly", timezone="+05:00")
    assert found is not None
    assert found.utcoffset() == datetime.timedelta(hours=5)
    assert found.isoformat() == "2026-11-28T22:00:00+05:00"
