"""Errors raised by tomodachi_scheduler.

Exception
 └── SchedulerError               base of every error of this library
      ├── ScheduleError           (also a ValueError) a schedule value cannot be used
      │    ├── InvalidInterval    an interval that is neither seconds, an alias nor a cron expression
      │    │    └── InvalidCron   a cron expression with a malformed or impossible field
      │    ├── InvalidTimestamp   a timestamp in none of the accepted formats
      │    ├── UnknownTimezone    a time zone name that the zone database does not know
      │    └── ConflictingSchedule  both an interval and a timestamp were given
      └── HandlerError            (also a TypeError) a scheduled handler that cannot be called:
                                  not async, or a parameter that no value can be given to

Every error is raised when a schedule is parsed (by the decorators, and again when the runtime
starts, then naming the handler), never while the schedule runs. Exceptions raised by scheduled
handlers are logged and do not stop their schedule.
"""

from __future__ import annotations


class SchedulerError(Exception):
    """Base of the errors of this library."""


class ScheduleError(SchedulerError, ValueError):
    """A schedule value (interval, cron expression, timestamp or time zone) cannot be used."""


class InvalidInterval(ScheduleError):
    """An interval that is neither a number of seconds, a known alias nor a cron expression."""


class InvalidCron(InvalidInterval):
    """A cron expression with a malformed field, or one naming a day that never exists."""


class InvalidTimestamp(ScheduleError):
    """A timestamp that is not ``YYYY-MM-DD HH:MM[:SS]`` nor ``HH:MM[:SS]``."""


class UnknownTimezone(ScheduleError):
    """A time zone name that the zone database does not know."""


class ConflictingSchedule(ScheduleError):
    """Both an interval and a timestamp were given for one handler."""


class HandlerError(SchedulerError, TypeError):
    """A scheduled handler that cannot be called as one: not async, or with an unfillable parameter."""
