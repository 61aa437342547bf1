"""The scheduler as a transport of the facade's contract."""

from __future__ import annotations

from tomodachi_scheduler import SCHEDULE_TRANSPORT, SchedulerRuntime, ScheduleTransport, SystemClock
from tomodachi_scheduler.testing import FakeClock


def test_transport_is_named_schedule() -> None:
    assert SCHEDULE_TRANSPORT.name == "schedule"


def test_create_runtime_passes_the_service_specs_clock_and_grace_period() -> None:
    clock = FakeClock()
    service = object()
    transport = ScheduleTransport(clock=clock, grace_period=3.0)

    runtime = transport.create_runtime(service, [])

    assert isinstance(runtime, SchedulerRuntime)
    assert (runtime.service, runtime.specs, runtime.clock, runtime.grace_period) == (service, [], clock, 3.0)


def test_default_transport_uses_the_system_clock() -> None:
    assert isinstance(ScheduleTransport().create_runtime(object(), []).clock, SystemClock)
