"""The lifecycle of the services of one service file, in tomodachi's order.

    _start_service → transports start → discovery registration → _started_service → transports consume
    → ready
    stop: _stopping_service at once, discovery deregistration, transports drain (each within its
          grace period), then _stop_service, then transports close

All services of a file move through each step together. A failure before "ready" stops them with
exit code 1; failures while stopping are logged and do not change the exit code.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import _discovery as discovery
from . import _execution_context as registry
from ._handlers import specs_by_transport
from ._hooks import call_hook, call_named_hooks, has_hooks
from ._transport import TransportRuntime
from .logging import get_logger, log_uncaught_exception


class StartupFailed(Exception):
    """A service of the file could not be started; the reason has been logged."""


@dataclass
class RunningService:
    instance: Any
    runtimes: list[tuple[str, TransportRuntime]] = field(default_factory=list)
    registered: bool = False  # with its (deprecated) discovery registries

    @property
    def fields(self) -> dict[str, Any]:
        return {"service": self.instance.name}


async def _gather_all(calls: Iterable[Awaitable[Any]]) -> list[BaseException]:
    results = await asyncio.gather(*calls, return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError | KeyboardInterrupt | SystemExit):
            raise error
    return errors


class ServiceFile:
    """The services of one imported service file, and their way through the lifecycle."""

    def __init__(self, classes: list[type], file_path: str, configure: Callable[[Any], None]) -> None:
        self.classes = classes
        self.file_path = file_path
        self.configure = configure
        self.services: list[RunningService] = []
        self.started = False

    def _log_fields(self, service: RunningService) -> dict[str, Any]:
        return service.fields if len(self.services) > 1 else {}

    def create(self) -> bool:
        """Instantiates and registers the services; False when none has handlers or hooks."""
        for cls in self.classes:
            fields = {"module": cls.__module__, "class": cls.__name__, "file_path": self.file_path}
            with self._failing_as("failed to initialize instance", fields):
                instance = cls()
            with self._failing_as("failed to setup config", fields):
                self.configure(instance)
            registry._set_service(instance.name, instance)
            with self._failing_as("failed to run post init hooks", {"service": instance.name}):
                call_named_hooks(instance, "__post_init_hook")
            service = RunningService(instance)
            with self._failing_as("failed to initialize instance", fields):
                for transport, specs in specs_by_transport(type(instance)).items():
                    runtime = transport.create_runtime(instance, specs)
                    service.runtimes.append((transport.name, runtime))
                    registry._track_runtime(transport.name, runtime)
            self.services.append(service)
        return any(service.runtimes or has_hooks(service.instance) for service in self.services)

    @contextmanager
    def _failing_as(self, message: str, fields: dict[str, Any]) -> Iterator[None]:
        """Turns an exception into a logged start-up failure (``StartupFailed``)."""
        try:
            yield
        except Exception as exc:
            log_uncaught_exception(exc)
            get_logger("tomodachi.init").error(message, **fields)
            raise StartupFailed from exc

    async def start(self, stop_requested: asyncio.Event) -> None:
        """Runs every step up to "ready".

        Raises:
            StartupFailed: a hook or a transport failed; the services must be stopped.
        """
        for service in self.services:
            get_logger("tomodachi.service").info(
                "initializing service instance", service=service.instance.name, uuid=service.instance.uuid
            )
            get_logger("tomodachi.lifecycle").info(
                "starting the service", state="starting", **self._log_fields(service)
            )
        self.started = True
        await self._step(call_hook(service.instance, "_start_service") for service in self.services)
        await self._step(runtime.start() for service in self.services for _, runtime in service.runtimes)
        if not stop_requested.is_set():
            for service in self.services:
                service.registered = True
            await self._step(discovery.register(service.instance) for service in self.services)
        for service in self.services:
            get_logger("tomodachi.lifecycle").info(
                "enabled handler functions", state="initialized", **self._log_fields(service)
            )
        await self._step(call_hook(service.instance, "_started_service") for service in self.services)
        await self._step(runtime.consume() for service in self.services for _, runtime in service.runtimes)
        if not stop_requested.is_set():
            for service in self.services:
                get_logger("tomodachi.lifecycle").info(
                    "started service successfully", state="ready", **self._log_fields(service)
                )

    async def _step(self, calls: Iterable[Awaitable[Any]]) -> None:
        errors = await _gather_all(calls)
        for error in errors:
            log_uncaught_exception(error)
        if errors:
            for service in self.services:
                get_logger("tomodachi.lifecycle").warning(
                    "failed to start service", state="aborting", **self._log_fields(service)
                )
            raise StartupFailed

    async def stop(self) -> None:
        """Stops the services: hooks and transports, logging (never raising) what fails."""
        if not self.started:
            return
        for service in self.services:
            get_logger("tomodachi.lifecycle").info(
                "stopping service", state="stopping", **self._log_fields(service)
            )
        # The hooks' tasks are created first, so that each hook starts before the transports drain.
        stopping = [
            asyncio.ensure_future(call_hook(service.instance, "_stopping_service"))
            for service in self.services
        ]
        await _gather_all(
            discovery.deregister(service.instance) for service in self.services if service.registered
        )
        errors = await _gather_all(
            runtime.drain() for service in self.services for _, runtime in service.runtimes
        )
        errors += await _gather_all(stopping)
        errors += await _gather_all(call_hook(service.instance, "_stop_service") for service in self.services)
        errors += await _gather_all(
            runtime.close() for service in self.services for _, runtime in service.runtimes
        )
        for error in errors:
            log_uncaught_exception(error)
        for service in self.services:
            try:
                call_named_hooks(service.instance, "__post_teardown_hook")
            except Exception as exc:
                log_uncaught_exception(exc)
            get_logger("tomodachi.lifecycle").info(
                "terminated service", state="terminated", **self._log_fields(service)
            )
            registry._unset_service(service.instance.name)


def create_all(service_files: Sequence[ServiceFile]) -> bool:
    """Creates the services of every file; False (the reason logged) when one cannot run.

    A file whose services have neither handlers nor start hooks cannot run ("no transport handlers
    defined"), nor can a service whose creation, configuration or post-init hooks fail.
    """
    try:
        for service_file in service_files:
            if not service_file.create():
                get_logger("tomodachi.lifecycle").warning(
                    "no transport handlers defined",
                    module=service_file.file_path,
                    file_path=service_file.file_path,
                )
                return False
    except StartupFailed:
        return False
    return True


async def start_all(service_files: Sequence[ServiceFile], stop_requested: asyncio.Event) -> bool:
    """Takes the services of every file, concurrently, up to "ready".

    Returns:
        True when every one got there; False when one failed (logged), and all must be stopped.
    """
    results = await asyncio.gather(
        *(service_file.start(stop_requested) for service_file in service_files), return_exceptions=True
    )
    failed = False
    for result in results:
        if isinstance(result, BaseException):
            failed = True
            if not isinstance(result, StartupFailed):
                log_uncaught_exception(result)
    return not failed


async def stop_all(service_files: Sequence[ServiceFile]) -> None:
    """Stops the started services of every file, concurrently; never raises for a failing hook."""
    await asyncio.gather(*(service_file.stop() for service_file in service_files))
