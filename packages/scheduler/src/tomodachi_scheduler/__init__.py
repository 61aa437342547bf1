"""Intervals, cron expressions and timestamps for scheduled tomodachi handlers.

Parsing and next-run computation are pure functions (no event loop, no clock reads)::

    >>> import datetime
    >>> after = datetime.datetime(2026, 3, 29, 0, 30, tzinfo=datetime.UTC)
    >>> str(next_run_time(after, "30 2 * * *", timezone="Europe/Stockholm"))  # 02:30 is skipped by DST
    '2026-03-29 03:00:00+02:00'

The decorators (``schedule``, ``heartbeat``, ``minutely``, ...) record a :class:`ScheduleSpec` on
the handler; the facade runs them through :class:`ScheduleTransport` and :class:`SchedulerRuntime`.
The clocks of ``tomodachi_scheduler.testing`` drive a runtime in tests.

Errors::

    Exception
     └── SchedulerError
          ├── ScheduleError (ValueError)
          │    ├── InvalidInterval
          │    │    └── InvalidCron
          │    ├── InvalidTimestamp
          │    ├── UnknownTimezone
          │    └── ConflictingSchedule
          └── HandlerError (TypeError)
"""

from .__about__ import __version__ as __version__
from ._clock import Clock as Clock
from ._clock import SystemClock as SystemClock
from ._cron import CronExpression as CronExpression
from ._cron import parse_cron as parse_cron
from ._errors import ConflictingSchedule as ConflictingSchedule
from ._errors import HandlerError as HandlerError
from ._errors import InvalidCron as InvalidCron
from ._errors import InvalidInterval as InvalidInterval
from ._errors import InvalidTimestamp as InvalidTimestamp
from ._errors import ScheduleError as ScheduleError
from ._errors import SchedulerError as SchedulerError
from ._errors import UnknownTimezone as UnknownTimezone
from ._runtime import SchedulerRuntime as SchedulerRuntime
from ._runtime import invocation_time as invocation_time
from ._schedules import CronSchedule as CronSchedule
from ._schedules import DailySchedule as DailySchedule
from ._schedules import IntervalSchedule as IntervalSchedule
from ._schedules import NeverSchedule as NeverSchedule
from ._schedules import OnceSchedule as OnceSchedule
from ._schedules import Schedule as Schedule
from ._schedules import next_run_time as next_run_time
from ._schedules import parse_interval as parse_interval
from ._schedules import parse_schedule as parse_schedule
from ._schedules import parse_timestamp as parse_timestamp
from ._spec import ScheduleShortcut as ScheduleShortcut
from ._spec import ScheduleSpec as ScheduleSpec
from ._spec import daily as daily
from ._spec import every_second as every_second
from ._spec import heartbeat as heartbeat
from ._spec import hourly as hourly
from ._spec import minutely as minutely
from ._spec import monthly as monthly
from ._spec import schedule as schedule
from ._spec import scheduler as scheduler
from ._transport import SCHEDULE_TRANSPORT as SCHEDULE_TRANSPORT
from ._transport import ScheduleTransport as ScheduleTransport
from ._wallclock import resolve_wall_time as resolve_wall_time
from ._zones import OFFSET_ALIASES as OFFSET_ALIASES
from ._zones import local_timezone as local_timezone
from ._zones import resolve_timezone as resolve_timezone

__all__ = [
    "OFFSET_ALIASES",
    "SCHEDULE_TRANSPORT",
    "Clock",
    "ConflictingSchedule",
    "CronExpression",
    "CronSchedule",
    "DailySchedule",
    "HandlerError",
    "IntervalSchedule",
    "InvalidCron",
    "InvalidInterval",
    "InvalidTimestamp",
    "NeverSchedule",
    "OnceSchedule",
    "Schedule",
    "ScheduleError",
    "ScheduleShortcut",
    "ScheduleSpec",
    "ScheduleTransport",
    "SchedulerError",
    "SchedulerRuntime",
    "SystemClock",
    "UnknownTimezone",
    "__version__",
    "daily",
    "every_second",
    "heartbeat",
    "hourly",
    "invocation_time",
    "local_timezone",
    "minutely",
    "monthly",
    "next_run_time",
    "parse_cron",
    "parse_interval",
    "parse_schedule",
    "parse_timestamp",
    "resolve_timezone",
    "resolve_wall_time",
    "schedule",
    "scheduler",
]
