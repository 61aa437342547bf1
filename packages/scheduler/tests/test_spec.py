"""The decorators record a spec on the handler, and refuse bad input when decorating."""

from __future__ import annotations

from typing import Any

import pytest

from tomodachi_middleware import handler_specs
from tomodachi_scheduler import (
    SCHEDULE_TRANSPORT,
    ConflictingSchedule,
    HandlerError,
    InvalidCron,
    ScheduleSpec,
    UnknownTimezone,
    daily,
    every_second,
    heartbeat,
    hourly,
    minutely,
    monthly,
    schedule,
    scheduler,
)


async def handler(self: Any) -> None: ...


def only_spec(func: Any) -> ScheduleSpec:
    (spec,) = handler_specs(func)
    assert isinstance(spec, ScheduleSpec)
    return spec


def test_schedule_records_its_arguments_and_returns_the_function() -> None:
    async def tick(self: Any) -> None: ...

    assert schedule(interval="*/5 * * * *", timezone="UTC", immediately=True)(tick) is tick

    spec = only_spec(tick)
    assert spec.transport is SCHEDULE_TRANSPORT
    assert (spec.name, spec.interval, spec.timestamp, spec.timezone, spec.immediately) == (
        "tick",
        "*/5 * * * *",
        None,
        "UTC",
        True,
    )


def test_scheduler_is_an_alias_of_schedule() -> None:
    assert scheduler is schedule


def test_schedule_takes_the_interval_positionally() -> None:
    async def tick(self: Any) -> None: ...

    schedule(10)(tick)
    assert only_spec(tick).interval == 10


@pytest.mark.parametrize(
    ("shortcut", "interval"),
    [
        *[(heartbeat, 1), (every_second, 1), (minutely, "minutely")],
        *[(hourly, "hourly"), (daily, "daily"), (monthly, "monthly")],
    ],
)
def test_shortcuts_work_bare_and_called(shortcut: Any, interval: Any) -> None:
    async def bare(self: Any) -> None: ...

    async def called(self: Any) -> None: ...

    assert shortcut(bare) is bare
    assert shortcut()(called) is called
    assert only_spec(bare).interval == only_spec(called).interval == interval
    assert only_spec(bare).immediately is False


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"interval": "61 * * * *"}, InvalidCron, "'.*tick': Invalid interval"),
        ({"interval": "@daily", "timezone": "Nowhere/Land"}, UnknownTimezone, "tick': Unknown timezone"),
        ({"interval": 5, "timestamp": "08:00"}, ConflictingSchedule, "tick': Give an interval"),
    ],
)
def test_bad_arguments_are_refused_when_decorating_naming_the_function(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    async def tick(self: Any) -> None: ...

    with pytest.raises(error, match=message):
        schedule(**arguments)(tick)
    assert handler_specs(tick) == ()


def test_schedule_without_arguments_is_refused_instead_of_replacing_the_function() -> None:
    async def tick(self: Any) -> None: ...

    with pytest.raises(HandlerError, match=r"'.*tick': @schedule needs arguments"):
        schedule(tick)  # type: ignore[arg-type]


def test_sync_function_is_refused_when_decorating() -> None:
    def tick(self: Any) -> None: ...

    with pytest.raises(HandlerError, match="tick' must be an async function"):
        heartbeat(tick)


def test_specs_of_several_decorators_accumulate() -> None:
    async def tick(self: Any) -> None: ...

    minutely(heartbeat(tick))

    assert [spec.interval for spec in handler_specs(tick)] == [1, "minutely"]  # type: ignore[attr-defined]
