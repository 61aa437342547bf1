"""Running service files in one event loop until they are asked to stop.

The launcher imports each file, runs all their services concurrently through the lifecycle, and
turns SIGINT, SIGTERM and ``tomodachi.exit()`` into a graceful stop. Its result is the exit code.
"""

from __future__ import annotations

import asyncio
import os
import platform
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from . import _execution_context as registry
from .__about__ import __version__
from ._banner import print_banner
from ._config import apply_config
from ._contextvars import get_contextvar
from ._importer import import_service_file, service_classes
from ._lifecycle import ServiceFile, create_all, start_all, stop_all
from ._readiness import HealthServerError, open_health
from .logging import get_logger, log_uncaught_exception

_SIGNAL_MESSAGES = {
    signal.SIGINT: "interrupt signal <ctrl+c>",
    signal.SIGTERM: "received termination signal",
}


def fill_execution_context(watcher_enabled: bool) -> None:
    """Starts the execution context afresh: versions, process, event loop (call it in the loop)."""
    loop = asyncio.get_running_loop()
    loop_module = type(loop).__module__.split(".")[0]
    registry._clear_execution_context()
    registry.set_execution_context(
        {
            "tomodachi_version": __version__,
            "python_version": platform.python_version(),
            "system_platform": platform.system(),
            "process_id": os.getpid(),
            "init_timestamp": datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "event_loop": loop_module if loop_module in ("asyncio", "uvloop") else type(loop).__qualname__,
            "cwd": os.getcwd(),
            "watcher_enabled": watcher_enabled,
        }
    )


class Launcher:
    """Runs the services of some files until a stop is requested; one per (re)start."""

    current: Launcher | None = None

    def __init__(
        self,
        files: list[str],
        configuration: dict[str, Any],
        *,
        watcher_enabled: bool = False,
        on_service_created: Callable[[Any], None] | None = None,
    ) -> None:
        self.files = files
        self.configuration = configuration
        self.on_service_created = on_service_created
        self.watcher_enabled = watcher_enabled
        self.exit_code = 0
        self.exit_requested = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_requested: asyncio.Event | None = None

    def request_stop(self) -> None:
        """Asks every service to stop; safe to call from any thread or from a signal handler."""
        if self._loop is None or self._stop_requested is None:
            return
        if self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._stop_requested.set)

    def stop_for_exit(self) -> None:
        """``tomodachi.exit()`` was called: stop, and do not restart on file changes."""
        self.exit_requested = True
        self.request_stop()

    def fail(self, exit_code: int = 1) -> None:
        self.exit_code = exit_code

    def _on_signal(self, signum: signal.Signals) -> None:
        get_logger("tomodachi.signal").warning(
            _SIGNAL_MESSAGES[signum], signal=signum.name, process_id=os.getpid()
        )
        self.request_stop()

    def _load_files(self) -> list[ServiceFile] | None:
        loaded: list[ServiceFile] = []
        for name in self.files:
            try:
                module = import_service_file(name)
            except Exception as exc:
                log_uncaught_exception(exc)
                get_logger("tomodachi.importer").error("failed to import service file", file_path=name)
                return None
            classes = service_classes(module)
            loaded.append(ServiceFile(classes, name, self._configure))
        return loaded

    def _configure(self, instance: Any) -> None:
        apply_config(instance, self.configuration)
        if self.on_service_created is not None:
            self.on_service_created(instance)

    async def run(self) -> int:
        """Runs the services until stopped; returns the exit code."""
        Launcher.current = self
        self._loop = asyncio.get_running_loop()
        self._stop_requested = asyncio.Event()
        get_contextvar("exit_code").set(-1)
        registry._clear_services()
        fill_execution_context(self.watcher_enabled)
        if self.watcher_enabled:
            context = registry.get_execution_context()
            print_banner(
                self.files, str(get_contextvar("loop.setting").get() or "auto"), context["event_loop"]
            )
        for signum in _SIGNAL_MESSAGES:
            self._loop.add_signal_handler(signum, self._on_signal, signum)
        try:
            await self._run_files()
        finally:
            for signum in _SIGNAL_MESSAGES:
                self._loop.remove_signal_handler(signum)
            Launcher.current = None
        return self.exit_code

    async def _run_files(self) -> None:
        assert self._stop_requested is not None
        service_files = self._load_files()
        if service_files is None or not create_all(service_files):
            self.fail()
            return
        try:
            health = await open_health(service_files, self._stop_requested)
        except HealthServerError:
            self.fail()
            return
        try:
            if await start_all(service_files, self._stop_requested):
                if health is not None:
                    health.mark_started()
                await self._stop_requested.wait()
            else:
                self.fail()
        finally:
            if health is not None:
                health.mark_stopping()
            await stop_all(service_files)
            if health is not None:
                await health.close()
