"""Writes next-run times computed by tomodachi 0.29 into packages/scheduler/tests/golden/schedules.json.

Run it once, by a Python that has the released ``tomodachi==0.29.0`` installed (not the development
venv, where ``tomodachi`` is this repository's facade), in UTC:

    python3.11 -m venv /tmp/venv029
    /tmp/venv029/bin/pip install tomodachi==0.29.0
    TZ=UTC /tmp/venv029/bin/python scripts/make_golden_schedules.py

It records, for fixed expressions and start times: 0.29's cron matcher on naive times
(``helpers.crontab.get_next_datetime``), its ``Scheduler.next_call_at`` for intervals, aliases and
timestamps in UTC, and which values it refuses. Start times come from a seeded generator, so a rerun
writes the same file.
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "packages" / "scheduler" / "tests" / "golden" / "schedules.json"

CRON = [
    "* * * * *",
    "*/7 * * * *",
    "5",
    "0 0 L * *",
    "0 9 * * L5",
    "0 0 * * 1-5",
    "15 3 * * fri-sun",
    "0 12 */5 * *",
    "0 0 1 */3 *",
    "30 2 29 2 *",
    "0 0 13 * 5",
    "1-50/7 2-20/3 * * *",
    "50/15 * * * *",
    "40-10/5 * * * *",
    "0 0 1 jan-mar mon",
    "0 0 * * 7",
    "0 0 * * 5-0",
    "*/15 */6 1,15,L * *",
    "0 0 1 1 * 2030",
    "0 0 1 1 * 2020",
    "0 0 31 * *",
    "0 0 30 * sat",
    "0 0 * * L",
    "0 22 * * Lsat-sun",
    "@yearly",
    "@weekly",
    "0 0 29 2 * */4",
]
INTERVALS: list[Any] = [
    5,
    "10s",
    "10 s",
    "5 seconds",
    "every second",
    "every minute",
    "minutely",
    "hourly",
    "every day",
    "nightly",
    "monthly",
    "yearly",
    "weekly",
    "mondays",
    "every tuesday",
    "once per sunday",
    "sat",
    "weekdays",
    "weekend",
    "@daily",
    "*/5 * * * *",
]
TIMESTAMPS = ["2025-06-01 12:30:15", "2025-06-01 12:30", "2030-01-01 00:00", "22:15:30", "08:00"]
INVALID_INTERVALS = [
    *("every 5 seconds", "5m", "5 minutes", "60 * * * *"),
    *("0 0 30 2 *", "* * * foo *", "0 0 * * 8"),
]
INVALID_TIMESTAMPS = ["2025-06-01", "noon", "25:00"]


def main() -> None:
    if os.environ.get("TZ") != "UTC":
        raise SystemExit("run with TZ=UTC")
    crontab = importlib.import_module("tomodachi.helpers.crontab")
    schedule = importlib.import_module("tomodachi.transport.schedule")
    version = importlib.import_module("tomodachi").__version__
    if version != "0.29.0":
        raise SystemExit(f"needs tomodachi 0.29.0, found {version}")
    rng = random.Random(29)
    base = datetime.datetime(2024, 1, 1)
    starts = [
        base + datetime.timedelta(minutes=rng.randrange(60 * 24 * 365 * 3), seconds=rng.randrange(1, 60))
        for _ in range(12)
    ]
    cron = []
    for expression in CRON:
        for start in starts:
            found = crontab.get_next_datetime(expression, start)
            cron.append([expression, start.isoformat(), found.isoformat() if found else None])
    epoch_starts = [int(start.replace(tzinfo=datetime.UTC).timestamp()) + 0.25 for start in starts[:6]]
    intervals = [
        [interval, start, schedule.Scheduler.next_call_at(start, interval, None, "UTC")]
        for interval in INTERVALS
        for start in epoch_starts
    ]
    timestamps = [
        [timestamp, start, schedule.Scheduler.next_call_at(start, None, timestamp, "UTC")]
        for timestamp in TIMESTAMPS
        for start in epoch_starts
    ]
    for interval in INVALID_INTERVALS:
        try:
            schedule.Scheduler.next_call_at(epoch_starts[0], interval, None, "UTC")
        except Exception:
            continue
        raise SystemExit(f"0.29 accepted {interval!r}")
    for timestamp in INVALID_TIMESTAMPS:
        try:
            schedule.Scheduler.next_call_at(epoch_starts[0], None, timestamp, "UTC")
        except Exception:
            continue
        raise SystemExit(f"0.29 accepted {timestamp!r}")
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "made_by": f"tomodachi {version}",
        "cron": cron,
        "intervals": intervals,
        "timestamps": timestamps,
        "invalid_intervals": INVALID_INTERVALS,
        "invalid_timestamps": INVALID_TIMESTAMPS,
    }
    GOLDEN.write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {GOLDEN.relative_to(ROOT)}: {len(cron)} cron, {len(intervals)} interval cases")


if __name__ == "__main__":
    main()
