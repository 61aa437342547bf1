"""The scheduling names of ``import tomodachi`` are the scheduler library's own objects."""

from __future__ import annotations

import pytest

import tomodachi
import tomodachi.transport.schedule
import tomodachi_scheduler
from tomodachi._transport import Transport, TransportRuntime
from tomodachi.transport.schedule import Scheduler

NAMES = ("schedule", "scheduler", "heartbeat", "every_second", "minutely", "hourly", "daily", "monthly")


@pytest.mark.parametrize("name", NAMES)
def test_the_facade_re_exports_the_scheduler(name: str) -> None:
    assert getattr(tomodachi, name) is getattr(tomodachi_scheduler, name)
    assert getattr(tomodachi.transport.schedule, name) is getattr(tomodachi_scheduler, name)


def test_next_call_at_answers_as_tomodachi_0_29() -> None:
    assert Scheduler.next_call_at(1000.5, 5) == 1005
    assert Scheduler.next_call_at(0.0, "@daily", None, "UTC") == 86400
    assert Scheduler.next_call_at(0.0, 10, "08:00", "UTC") == 10  # the interval wins, as in 0.29
    assert Scheduler.next_call_at(0.0) == 60 * 60 * 24 * 365 * 100


def test_get_timezone_names_the_zone_of_an_offset() -> None:
    assert Scheduler.get_timezone("+02:00") == "Etc/GMT-2"
    assert Scheduler.get_timezone("Europe/Stockholm") == "Europe/Stockholm"
    assert Scheduler.get_timezone(None) is None
    with pytest.raises(tomodachi_scheduler.UnknownTimezone):
        Scheduler.get_timezone("Mars/Olympus")


async def test_the_scheduler_meets_the_transport_contract() -> None:
    transport: Transport = tomodachi_scheduler.SCHEDULE_TRANSPORT
    runtime: TransportRuntime = transport.create_runtime(object(), [])

    await runtime.start()
    await runtime.consume()
    await runtime.drain()
    await runtime.close()
    assert transport.name == "schedule"
