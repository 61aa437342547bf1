"""The scheduler as a tomodachi transport: what a ``ScheduleSpec``'s ``transport`` refers to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._clock import Clock, SystemClock
from ._runtime import SchedulerRuntime
from ._spec import ScheduleSpec


class ScheduleTransport:
    """Creates a :class:`SchedulerRuntime` per service instance.

    Args:
        clock: The clock the runtimes read and wait on; ``None`` for the system clock.
        grace_period: How long stopping awaits running handlers, in seconds.
    """

    name = "schedule"

    def __init__(self, clock: Clock | None = None, grace_period: float = 30.0) -> None:
        self.clock = clock
        self.grace_period = grace_period

    def create_runtime(self, service: Any, specs: Sequence[Any]) -> SchedulerRuntime:
        """Return the runtime of ``service``'s scheduled handlers.

        Args:
            service: The service instance.
            specs: Its :class:`ScheduleSpec` objects, in start order.

        Returns:
            A runtime using this transport's clock (read now) and grace period.
        """
        schedule_specs: list[ScheduleSpec] = list(specs)
        clock = self.clock if self.clock is not None else SystemClock()
        return SchedulerRuntime(service, schedule_specs, clock=clock, grace_period=self.grace_period)

    def __repr__(self) -> str:
        return f"<ScheduleTransport {self.name!r}>"


# The transport of every spec recorded by this library's decorators.
SCHEDULE_TRANSPORT = ScheduleTransport()
