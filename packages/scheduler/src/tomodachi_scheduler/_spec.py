"""The spec a scheduling decorator records on a handler, and the decorators themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast, overload

from tomodachi_middleware import register_handler

from ._errors import HandlerError, SchedulerError
from ._invocation import is_async_callable
from ._schedules import Schedule, parse_schedule

if TYPE_CHECKING:
    from ._transport import ScheduleTransport

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ScheduleSpec:
    """One scheduled handler: the function, its method name and the decorator's arguments."""

    transport: ScheduleTransport
    func: Callable[..., Any]
    name: str
    interval: int | str | None = None
    timestamp: str | None = None
    timezone: str | None = None
    immediately: bool = False

    def parse(self) -> Schedule:
        """Return the parsed schedule.

        Raises:
            ScheduleError: a value cannot be used; the message names the handler.
        """
        try:
            return parse_schedule(self.interval, self.timestamp, self.timezone)
        except SchedulerError as exc:
            raise type(exc)(f"scheduled function '{self.qualname}': {exc}") from exc

    @property
    def qualname(self) -> str:
        """The handler's qualified name (``Service.method``)."""
        return str(getattr(self.func, "__qualname__", self.name))


def _record(
    func: F,
    interval: int | str | None,
    timestamp: str | None,
    timezone: str | None,
    immediately: bool | None,
) -> F:
    from ._transport import SCHEDULE_TRANSPORT

    name = str(getattr(func, "__name__", repr(func)))
    spec = ScheduleSpec(SCHEDULE_TRANSPORT, func, name, interval, timestamp, timezone, bool(immediately))
    if not is_async_callable(func):
        raise HandlerError(f"scheduled function '{spec.qualname}' must be an async function (async def)")
    spec.parse()
    register_handler(func, spec)
    return func


def schedule(
    interval: int | str | None = None,
    timestamp: str | None = None,
    timezone: str | None = None,
    immediately: bool | None = False,
) -> Callable[[F], F]:
    """Run the decorated async method on an interval, a cron schedule or at a timestamp.

    Args:
        interval: Seconds (``int``, ``"10s"``, ``"5 seconds"``), an alias (``"minutely"``, ``"hourly"``,
            ``"daily"``, ``"monthly"``, ``"weekdays"``, ...) or a cron expression (``"*/5 * * * *"``,
            ``"@daily"``, ``"0 9 * * L5"``). See :func:`parse_interval`.
        timestamp: ``"YYYY-MM-DD HH:MM[:SS]"`` (once) or ``"HH:MM[:SS]"`` (daily).
        timezone: The zone that cron expressions and timestamps are read in; default the local zone.
        immediately: Also run once as soon as the service has started.

    Returns:
        A decorator that records the schedule on the function and returns it unchanged.

    Raises:
        ScheduleError: an argument cannot be used, or both ``interval`` and ``timestamp`` are given
            (raised by the decorator, naming the function).
        HandlerError: the decorated function is not async, or ``@schedule`` was used without
            arguments (it would otherwise take the function for the interval).
    """
    given: object = interval  # the function itself, for a bare ``@schedule``
    if callable(given):
        name = getattr(given, "__qualname__", repr(given))
        raise HandlerError(
            f"scheduled function '{name}': @schedule needs arguments, such as @schedule(interval=60); "
            "for every second use @heartbeat"
        )

    def decorate(func: F) -> F:
        return _record(func, interval, timestamp, timezone, immediately)

    return decorate


scheduler = schedule


class ScheduleShortcut(Protocol):
    """A fixed schedule, used bare (``@heartbeat``) or called without arguments (``@heartbeat()``)."""

    @overload
    def __call__(self, func: F, /) -> F: ...

    @overload
    def __call__(self, func: None = None, /) -> Callable[[F], F]: ...


def _shortcut(name: str, interval: int | str, doc: str) -> ScheduleShortcut:
    def shortcut(func: Any = None) -> Any:
        if func is None:
            return schedule(interval=interval)
        return _record(func, interval, None, None, False)

    shortcut.__name__ = shortcut.__qualname__ = name
    shortcut.__doc__ = (
        f"{doc}\n\nUse it bare (``@{name}``) or called (``@{name}()``): interval={interval!r}.\n"
    )
    return cast(ScheduleShortcut, shortcut)


heartbeat = _shortcut("heartbeat", 1, "Run the decorated async method every second.")
every_second = _shortcut("every_second", 1, "Run the decorated async method every second, as ``heartbeat``.")
minutely = _shortcut("minutely", "minutely", "Run the decorated async method every minute, on the minute.")
hourly = _shortcut("hourly", "hourly", "Run the decorated async method every hour, on the hour, local time.")
daily = _shortcut("daily", "daily", "Run the decorated async method every day at midnight, local time.")
monthly = _shortcut(
    "monthly", "monthly", "Run the decorated async method at midnight on each 1st, local time."
)
