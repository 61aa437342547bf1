"""Running a service's scheduled handlers on the event loop.

One loop task per scheduled handler sleeps until the next planned run, starts the run as a task of
its own and computes the run after it from the schedule (never from when a run started or ended, so
the loop does not drift). A loop that wakes late (a busy or blocked event loop) starts one run for
the latest planned time that has passed and drops the older ones, with a warning.

Runs of one handler may overlap, as in tomodachi 0.29: a run that is still going does not hold the
next one back. While 20 runs of a handler are still going its ticks are skipped (warning "too many
scheduled tasks..."), until fewer than 15 are; ticks then follow the schedule again (info
"...resumed...").

Stopping: ``drain`` ends the loops (no new runs), then awaits the running ones for up to the grace
period, with a warning after 2 seconds and every 10 seconds; runs still going after it are cancelled.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from tomodachi_middleware import (
    SCHEDULED_RUN_INTERCEPTORS,
    ScheduledRun,
    handler_specs,
    intercepted_run,
    set_handler_context,
)

from ._clock import Clock
from ._invocation import Invoke, plan_call
from ._schedules import Schedule
from ._spec import ScheduleSpec

logger = logging.getLogger("tomodachi.scheduler")

TASK_LIMIT = 20
RESUME_BELOW = 15
FIRST_WARNING_AFTER = 2.0
WARNING_EVERY = 10.0
_MAX_CATCH_UP = 100
_LOOK_BACK = (1.0, 60.0, 3600.0, 86400.0, 32 * 86400.0)


def invocation_time(planned: float) -> str:
    """Return the planned time as tomodachi's ``invocation_time``: UTC, whole seconds, ``Z``.

    Example: ``2026-11-28T16:46:44Z``.
    """
    moment = datetime.datetime.fromtimestamp(math.floor(planned), datetime.UTC)
    return moment.isoformat().replace("+00:00", "Z")


@dataclass
class _Job:
    spec: ScheduleSpec
    schedule: Schedule
    invoke: Invoke
    running: set[asyncio.Task[None]] = field(default_factory=set)
    throttled: bool = False

    @property
    def fields(self) -> dict[str, Any]:
        return {"handler": self.spec.name}


class SchedulerRuntime:
    """The scheduled handlers of one service instance, started, run and stopped together.

    Args:
        service: The service instance whose methods are scheduled.
        specs: The handlers' specs, in the order they start.
        clock: The clock to read and wait on.
        grace_period: How long ``drain`` awaits running handlers before cancelling them, in seconds.
    """

    def __init__(
        self, service: Any, specs: Sequence[ScheduleSpec], *, clock: Clock, grace_period: float = 30.0
    ) -> None:
        self.service = service
        self.specs = list(specs)
        self.clock = clock
        self.grace_period = grace_period
        self.jobs: list[_Job] = []
        self.current_tasks = 0
        self.total_tasks = 0
        self._loops: list[asyncio.Task[None]] = []
        self._started = False
        self._consuming = False
        self._stopping = False

    async def start(self) -> None:
        """Parse every schedule and plan every handler's call.

        Raises:
            ScheduleError: a schedule cannot be used; the message names the handler.
            HandlerError: a handler is not async or cannot be given its parameters.
        """
        jobs = []
        for spec in self.specs:
            schedule = spec.parse()
            jobs.append(_Job(spec, schedule, plan_call(self._bind(spec), spec.qualname)))
        self.jobs = jobs
        self._started = True

    def _bind(self, spec: ScheduleSpec) -> Any:
        attribute = getattr(self.service, spec.name, None)
        if attribute is not None and spec in handler_specs(getattr(attribute, "__func__", attribute)):
            return attribute  # what the class holds, with any decorator applied above the schedule
        getter = getattr(spec.func, "__get__", None)
        return getter(self.service, type(self.service)) if getter else spec.func

    async def consume(self) -> None:
        """Begin the loops: each handler's first run is planned from now."""
        if self._stopping or self._consuming:
            return
        if not self._started:
            await self.start()
        self._consuming = True
        now = self.clock.time()
        for job in self.jobs:
            name = f"tomodachi.scheduler:{job.spec.qualname}"
            self._loops.append(asyncio.create_task(self._loop(job, now), name=name))

    async def _loop(self, job: _Job, started_at: float) -> None:
        try:
            await self._schedule(job, started_at)
        except Exception as exc:  # a clock or schedule that fails: say so instead of going quiet
            logger.exception("scheduled function loop stopped: %s", exc, extra=job.fields)

    async def _schedule(self, job: _Job, started_at: float) -> None:
        if job.spec.immediately:
            self._fire(job, math.floor(started_at))
        planned = job.schedule.next_run(started_at)
        if planned is None and not job.spec.immediately:
            logger.warning("scheduled function has no planned runs", extra=job.fields)
        while planned is not None:
            await self.clock.sleep_until(planned)
            planned = self._latest_due(job, planned)
            self._fire(job, planned)
            planned = job.schedule.next_run(planned)

    def _latest_due(self, job: _Job, planned: float) -> float:
        """The latest planned time that has passed, when the loop woke after more than one."""
        now = self.clock.time()
        first = planned
        steps = 0
        following = job.schedule.next_run(planned)
        while following is not None and following <= now:
            planned = following
            steps += 1
            if steps % _MAX_CATCH_UP == 0:  # far behind (a clock set forward): look back from now
                for back in _LOOK_BACK:
                    recent = job.schedule.next_run(now - back)
                    if recent is not None and planned < recent <= now:
                        planned = recent
                        break
            following = job.schedule.next_run(planned)
        if planned != first:
            logger.warning(
                "scheduled function loop woke late and skipped runs",
                extra={**job.fields, "late_by": round(now - first, 3)},
            )
        return planned

    def _fire(self, job: _Job, planned: float) -> None:
        count = len(job.running)
        if count >= TASK_LIMIT or (job.throttled and count >= RESUME_BELOW):
            if not job.throttled:
                job.throttled = True
                logger.warning(
                    "too many scheduled tasks for function in scheduled function loop",
                    extra={**job.fields, "task_count": count, "task_limit": TASK_LIMIT},
                )
            return
        if job.throttled:
            job.throttled = False
            logger.info(
                "scheduled function loop resumed as task count is within threshold",
                extra={**job.fields, "task_count": count, "task_limit": TASK_LIMIT},
            )
        when = invocation_time(planned)
        task = asyncio.create_task(self._run(job, when), name=f"{job.spec.qualname}/{when}")
        job.running.add(task)
        task.add_done_callback(job.running.discard)

    async def _run(self, job: _Job, when: str) -> None:
        self.current_tasks += 1
        self.total_tasks += 1
        set_handler_context("tomodachi.schedule.handler", handler=job.spec.name, type="tomodachi.schedule")
        try:
            values = {"invocation_time": when, "interval": job.spec.interval}
            if SCHEDULED_RUN_INTERCEPTORS:
                run = ScheduledRun(self.service, job.spec.name, job.spec.qualname, when, job.spec.interval)
                await intercepted_run(run, partial(job.invoke, values))
            else:
                await job.invoke(values)
        except asyncio.CancelledError as exc:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
            logger.exception("uncaught exception: %s", exc, extra=job.fields)
        except Exception as exc:
            logger.exception("uncaught exception: %s", exc, extra=job.fields)
        finally:
            self.current_tasks -= 1

    async def drain(self) -> None:
        """Start no new runs; await the running ones for up to the grace period, then cancel them."""
        self._stopping = True
        if self._started and not self._consuming:
            for job in self.jobs:
                logger.warning(
                    "scheduled function loop never started before service termination", extra=job.fields
                )
        await self._cancel(self._loops)
        running = {task for job in self.jobs for task in job.running}
        if not running:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.grace_period
        wait = min(FIRST_WARNING_AFTER, self.grace_period)
        message = "awaiting task to complete"
        while running:
            _, pending = await asyncio.wait(running, timeout=max(wait, 0))
            running = pending
            if not running:
                return
            if loop.time() >= deadline:
                for task in running:
                    logger.warning(
                        "cancelling task after the grace period", extra={"task_name": task.get_name()}
                    )
                await self._cancel(list(running))
                return
            for task in running:
                logger.warning(message, extra={"task_name": task.get_name()})
            message = "still awaiting task to finish"
            wait = min(WARNING_EVERY, deadline - loop.time())

    async def close(self) -> None:
        """Cancel whatever still runs (nothing after a complete ``drain``)."""
        self._stopping = True
        await self._cancel([*self._loops, *(task for job in self.jobs for task in job.running)])

    @staticmethod
    async def _cancel(tasks: Sequence[asyncio.Task[None]]) -> None:
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
