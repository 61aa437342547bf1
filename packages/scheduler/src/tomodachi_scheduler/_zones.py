"""Time zones by name, tomodachi's offset aliases, and the machine's local zone (zoneinfo)."""

from __future__ import annotations

import datetime
import functools
import os
import time
import zoneinfo

from ._errors import UnknownTimezone


def _offset_aliases() -> dict[str, str]:
    aliases = {
        name.replace(" ", ""): "GMT0"
        for name in [
            *("+00:00", "-00:00", "00:00", "0000", "GMT +0000", "GMT +00:00"),
            *("GMT -00", "GMT +00", "GMT -0", "GMT +0"),
        ]
    }
    for hours in range(1, 13):
        for sign, zone_sign in (("+", "-"), ("-", "+")):
            forms = [f"{sign}{hours:02}:00", f"{sign}{hours:02}00", f"GMT {sign}{hours:02}00"]
            forms += [f"GMT {sign}{hours:02}:00", f"GMT {sign}{hours:02}"]
            if hours < 10:
                forms.append(f"GMT {sign}{hours}")
            for form in forms:
                aliases[form.replace(" ", "")] = f"Etc/GMT{zone_sign}{hours}"
    return aliases


# "+02:00", "GMT +2" and the like: the fixed-offset zones (whose names have the opposite sign).
OFFSET_ALIASES = _offset_aliases()


def resolve_timezone(name: str | None = None) -> datetime.tzinfo:
    """Return the time zone called ``name``, or the machine's local zone.

    Args:
        name: An IANA zone name (``"Europe/Stockholm"``; case does not matter), an offset alias
            (``"+02:00"``, ``"+0200"``, ``"GMT +2"``, ``"-05:00"``: whole hours from -12 to +12), or
            ``None`` (or ``""``) for the local zone.

    Returns:
        A :class:`zoneinfo.ZoneInfo` (or, when the local zone cannot be named, a fixed offset).

    Raises:
        UnknownTimezone: the zone database does not know ``name``.
    """
    if not name:
        return local_timezone()
    if not isinstance(name, str):
        raise UnknownTimezone(f"Unknown timezone: {name!r}")
    key = OFFSET_ALIASES.get(name.replace(" ", ""), name)
    zone = _zone(key)
    if zone is None:
        folded = _zone_names_by_folded_case().get(key.casefold())
        zone = _zone(folded) if folded else None
    if zone is None:
        raise UnknownTimezone(f"Unknown timezone: {name}")
    return zone


def _zone(key: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(key)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


@functools.cache
def _zone_names_by_folded_case() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def local_timezone() -> datetime.tzinfo:
    """Return the machine's local time zone.

    Read from ``TZ`` when it names a zone, else from ``/etc/localtime`` (or ``/etc/timezone``); when
    none of these names one, the current fixed UTC offset of the C library's local time.

    Returns:
        The local zone.
    """
    configured = os.environ.get("TZ", "").lstrip(":")
    if configured:
        zone = _zone(configured)
        if zone is None and os.path.isabs(configured) and os.path.isfile(configured):
            zone = _zone_from_file(configured)
        if zone is not None:
            return zone
    localtime = "/etc/localtime"
    real = os.path.realpath(localtime)
    if "/zoneinfo/" in real:
        zone = _zone(real.split("/zoneinfo/", 1)[1])
        if zone is not None:
            return zone
    try:
        with open("/etc/timezone", encoding="utf-8") as file:
            zone = _zone(file.read().strip())
    except OSError:
        zone = None
    if zone is None and os.path.isfile(localtime):
        zone = _zone_from_file(localtime)
    if zone is not None:
        return zone
    offset = -(time.altzone if time.localtime().tm_isdst > 0 else time.timezone)
    return datetime.timezone(datetime.timedelta(seconds=offset), time.tzname[0])


def _zone_from_file(path: str) -> zoneinfo.ZoneInfo | None:
    try:
        with open(path, "rb") as file:
            return zoneinfo.ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError):
        return None
