"""Parsing cron expressions and finding the next matching wall-clock minute."""

from __future__ import annotations

import datetime

import pytest

from tomodachi_scheduler import InvalidCron, InvalidInterval, parse_cron


def dt(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def next_after(expression: str, after: str) -> str | None:
    found = parse_cron(expression).next_wall_time(dt(after))
    return found.isoformat() if found else None


def test_missing_trailing_fields_are_wildcards() -> None:
    assert parse_cron("5") == parse_cron("5 * * * * *")
    assert next_after("5", "2026-01-01T10:07:00") == "2026-01-01T11:05:00"


@pytest.mark.parametrize(
    ("alias", "expression"),
    [
        ("@yearly", "0 0 1 1 *"),
        ("@annually", "0 0 1 1 *"),
        ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"),
        ("@daily", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
        ("@minutely", "* * * * *"),
        (" @DAILY ", "0 0 * * *"),
    ],
)
def test_aliases_stand_for_their_expressions(alias: str, expression: str) -> None:
    assert parse_cron(alias) == parse_cron(expression)


def test_names_are_case_insensitive() -> None:
    assert parse_cron("0 0 1 JAN-Mar MON").months == (1, 2, 3)
    assert parse_cron("0 0 * * Sat,sun").weekdays == {6, 0}


def test_step_over_a_wildcard_keeps_values_divisible_by_the_step() -> None:
    assert sorted(parse_cron("0 0 */5 * *").days) == [5, 10, 15, 20, 25, 30]
    assert parse_cron("0 0 1 */3 *").months == (3, 6, 9, 12)
    assert parse_cron("*/20").minutes == (0, 20, 40)


def test_step_after_a_value_keeps_values_congruent_to_it() -> None:
    assert parse_cron("50/15").minutes == (5, 20, 35, 50)
    assert parse_cron("10-40/15").minutes == (10, 25, 40)


def test_reversed_range_is_read_forwards() -> None:
    assert parse_cron("40-10").minutes == parse_cron("10-40").minutes
    assert parse_cron("0 0 * * 5-0").weekdays == {0, 1, 2, 3, 4, 5}


def test_weekday_range_to_sunday_wraps_to_seven() -> None:
    assert parse_cron("0 0 * * fri-sun").weekdays == {5, 6, 0}


def test_seven_is_sunday() -> None:
    assert parse_cron("0 0 * * 7").weekdays == {0}


def test_reversed_named_weekday_range_is_refused() -> None:
    with pytest.raises(InvalidCron, match="weekday"):
        parse_cron("0 0 * * fri-mon")


def test_l_in_the_day_field_is_the_last_day_of_the_month() -> None:
    assert next_after("0 0 L * *", "2024-02-10T00:00:00") == "2024-02-29T00:00:00"
    assert next_after("0 0 L * *", "2023-02-28T00:00:00") == "2023-03-31T00:00:00"


def test_l_before_a_weekday_is_its_last_occurrence_in_the_month() -> None:
    assert next_after("0 9 * * L5", "2026-11-01T00:00:00") == "2026-11-27T09:00:00"
    assert next_after("0 9 * * L5", "2026-11-27T09:00:00") == "2026-12-25T09:00:00"


def test_restricted_day_and_weekday_match_either() -> None:
    # The 13th, or any Friday: whichever comes first.
    assert next_after("0 0 13 * 5", "2026-11-01T00:00:00") == "2026-11-06T00:00:00"
    assert next_after("0 0 13 * 5", "2026-11-06T00:00:00") == "2026-11-13T00:00:00"


def test_question_mark_leaves_the_other_day_field_in_charge() -> None:
    # tomodachi 0.29 read "?" as a restriction and so ran this every day; it means Mondays.
    assert next_after("0 0 ? * 1", "2026-11-26T13:00:00") == "2026-11-30T00:00:00"


def test_leap_day_is_found_years_ahead() -> None:
    assert next_after("30 2 29 2 *", "2024-03-01T00:00:00") == "2028-02-29T02:30:00"


def test_month_ends_roll_over_to_the_next_matching_month() -> None:
    assert next_after("0 0 31 * *", "2026-04-01T00:00:00") == "2026-05-31T00:00:00"
    assert next_after("59 23 * * *", "2026-12-31T23:59:00") == "2027-01-01T23:59:00"


def test_year_field_limits_the_runs() -> None:
    assert next_after("0 0 1 1 * 2030", "2026-05-01T00:00:00") == "2030-01-01T00:00:00"
    assert next_after("0 0 1 1 * 2030", "2030-01-01T00:00:00") is None
    assert next_after("0 0 1 1 * 2020", "2026-01-01T00:00:00") is None


def test_next_wall_time_is_strictly_after_and_on_a_whole_minute() -> None:
    assert next_after("* * * * *", "2026-01-01T10:00:00") == "2026-01-01T10:01:00"
    assert next_after("* * * * *", "2026-01-01T10:00:59.999") == "2026-01-01T10:01:00"


def test_matches_reads_every_field() -> None:
    expression = parse_cron("30 9 * * mon-fri")
    assert expression.matches(dt("2026-11-27T09:30:00"))
    assert not expression.matches(dt("2026-11-28T09:30:00"))
    assert not expression.matches(dt("2026-11-27T09:31:00"))


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "empty"),
        ("* * * * * * *", "too many fields"),
        ("60 * * * *", "minute"),
        ("* 24 * * *", "hour"),
        ("* * 0 * *", "day"),
        ("* * * 13 *", "month"),
        ("* * * * 8", "weekday"),
        ("* * * * * 2100", "year"),
        ("*/0 * * * *", "step"),
        ("a * * * *", "minute"),
        ("1,,2 * * * *", "minute"),
        ("0 0 L15 * *", "day"),
        ("0 0 30 2 *", "days out of scope"),
        ("0 0 31 4,6 *", "days out of scope"),
        ("* * * foo *", "month"),
    ],
)
def test_invalid_expressions_are_refused_with_the_field_named(expression: str, message: str) -> None:
    with pytest.raises(InvalidCron, match=message):
        parse_cron(expression)


def test_invalid_cron_is_an_invalid_interval_and_a_value_error() -> None:
    with pytest.raises(InvalidInterval):
        parse_cron("nope")
    with pytest.raises(ValueError, match="Invalid cron notation"):
        parse_cron("nope")
