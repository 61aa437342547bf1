"""Next runs agree with the ones tomodachi 0.29 computed (golden/schedules.json, made by
scripts/make_golden_schedules.py), except where we fix 0.29 on purpose."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from tomodachi_scheduler import InvalidInterval, InvalidTimestamp, parse_cron, parse_schedule

GOLDEN = json.loads((Path(__file__).parent / "golden" / "schedules.json").read_text())
CENTURY = 60 * 60 * 24 * 365 * 99


@pytest.mark.parametrize(("expression", "start", "expected"), GOLDEN["cron"])
def test_cron_next_wall_time_matches_tomodachi_029(expression: str, start: str, expected: str | None) -> None:
    found = parse_cron(expression).next_wall_time(datetime.datetime.fromisoformat(start))

    assert (found.isoformat() if found else None) == expected


def _expected(start: float, expected: int) -> float | None:
    return None if expected > start + CENTURY else float(expected)


@pytest.mark.parametrize(("interval", "start", "expected"), GOLDEN["intervals"])
def test_interval_next_run_matches_tomodachi_029(interval: Any, start: float, expected: int) -> None:
    assert parse_schedule(interval=interval, timezone="UTC").next_run(start) == _expected(start, expected)


@pytest.mark.parametrize(("timestamp", "start", "expected"), GOLDEN["timestamps"])
def test_timestamp_next_run_matches_tomodachi_029(timestamp: str, start: float, expected: int) -> None:
    assert parse_schedule(timestamp=timestamp, timezone="UTC").next_run(start) == _expected(start, expected)


@pytest.mark.parametrize("interval", GOLDEN["invalid_intervals"])
def test_interval_refused_by_tomodachi_029_is_refused(interval: str) -> None:
    with pytest.raises(InvalidInterval):
        parse_schedule(interval=interval, timezone="UTC")


@pytest.mark.parametrize("timestamp", GOLDEN["invalid_timestamps"])
def test_timestamp_refused_by_tomodachi_029_is_refused(timestamp: str) -> None:
    with pytest.raises(InvalidTimestamp):
        parse_schedule(timestamp=timestamp, timezone="UTC")
