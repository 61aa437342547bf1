"""Time zones by name, offset aliases and the local zone."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from tomodachi_scheduler import OFFSET_ALIASES, UnknownTimezone, local_timezone, resolve_timezone


def offset(zone: datetime.tzinfo) -> datetime.timedelta | None:
    return datetime.datetime(2026, 1, 15, 12, tzinfo=zone).utcoffset()


def test_iana_names_resolve_to_zoneinfo() -> None:
    assert resolve_timezone("Europe/Stockholm") == zoneinfo.ZoneInfo("Europe/Stockholm")


def test_names_are_case_insensitive_as_in_tomodachi() -> None:
    assert resolve_timezone("europe/stockholm") == zoneinfo.ZoneInfo("Europe/Stockholm")
    assert resolve_timezone("utc") == zoneinfo.ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("alias", "hours"),
    [
        *[("+00:00", 0), ("0000", 0), ("GMT +0", 0), ("+02:00", 2), ("+0200", 2), ("GMT +2", 2)],
        *[("GMT+02", 2), ("-05:00", -5), ("GMT -0500", -5), ("+12:00", 12), ("-12:00", -12), ("GMT +10", 10)],
    ],
)
def test_offset_aliases_are_fixed_offset_zones(alias: str, hours: int) -> None:
    assert offset(resolve_timezone(alias)) == datetime.timedelta(hours=hours)


def test_offset_aliases_name_the_etc_zones() -> None:
    assert OFFSET_ALIASES["+02:00"] == "Etc/GMT-2"
    assert OFFSET_ALIASES["-03:00"] == "Etc/GMT+3"
    assert OFFSET_ALIASES["GMT+0"] == "GMT0"


@pytest.mark.parametrize("name", ["Mars/Olympus", "+05:30", "../etc/passwd", "Europe", "GMT +13"])
def test_unknown_zones_are_refused(name: str) -> None:
    with pytest.raises(UnknownTimezone, match="Unknown timezone"):
        resolve_timezone(name)


def test_no_name_is_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert resolve_timezone(None) == zoneinfo.ZoneInfo("America/New_York")
    assert resolve_timezone("") == zoneinfo.ZoneInfo("America/New_York")


def test_local_zone_follows_tz_with_a_leading_colon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":Asia/Tokyo")
    assert local_timezone() == zoneinfo.ZoneInfo("Asia/Tokyo")


def test_local_zone_without_tz_is_a_zone_with_an_offset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)
    assert offset(local_timezone()) is not None
