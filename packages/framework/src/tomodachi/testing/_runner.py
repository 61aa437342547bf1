"""``ServiceUnderTest``: services run in-process, on the test's event loop, through the real lifecycle.

It creates the services with ``ServiceFile`` (the lifecycle ``tomodachi run`` uses) and takes them
to "ready". No signal handler is installed and no process is started; ``tomodachi.exit()`` called by
a service stops it and sets its exit code.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import logging
import os
from collections.abc import Mapping
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any

from tomodachi import _execution_context as registry
from tomodachi._config import apply_config
from tomodachi._contextvars import get_contextvar
from tomodachi._exit import _listen_for_exit
from tomodachi._importer import import_service_file, service_classes
from tomodachi._lifecycle import ServiceFile, create_all, start_all, stop_all
from tomodachi._logging.levels import parse_level
from tomodachi._readiness import HealthServerError, open_health
from tomodachi.logging import get_logger
from tomodachi.options import Options

from ._broker import Broker
from ._counting import HandlerCounts
from ._logs import LogCollector, Logs

if TYPE_CHECKING:
    import aiohttp

    from tomodachi._health import Health

ServiceSource = type | str | os.PathLike[str]
"""A service class, or the path of a service file (all its services run)."""


class ServiceStartupError(RuntimeError):
    """The services did not get to "ready"; they have been stopped.

    Attributes:
        logs: What was logged, with the reason.
        exit_code: The exit code ``tomodachi run`` would have ended with (1).
    """

    def __init__(self, message: str, logs: Logs) -> None:
        errors = [f"  [{line.level}] {line.logger}: {line.message}" for line in logs.find(level="error")]
        errors += [f"  [{line.level}] {line.logger}: {line.message}" for line in logs.find(level="critical")]
        super().__init__("\n".join([message, *errors]))
        self.logs = logs
        self.exit_code = 1


def _source_path(cls: type) -> str:
    try:
        return inspect.getsourcefile(cls) or cls.__module__
    except TypeError:
        return cls.__module__


class ServiceUnderTest:
    """Services started by ``start_service``/``run_service``, and what a test asserts on.

    Attributes:
        instances: The service instances, in start order.
        logs: Every line logged while they ran (see ``Logs``), lifecycle lines included.
    """

    def __init__(
        self,
        sources: tuple[ServiceSource, ...],
        *,
        options: Mapping[str, Any] | Options | None,
        config: Mapping[str, Any] | None,
        broker: Broker | None,
        http_host: str | None,
        http_port: int | None,
        log_level: int | str,
    ) -> None:
        if not sources:
            raise ValueError("run_service needs at least one service class or service file")
        self._sources = sources
        self._options = options
        self._config = dict(config or {})
        self._broker = broker
        self._http_host = http_host
        self._http_port = http_port
        self._log_level = parse_level(log_level)
        self.logs = Logs()
        self.counts = HandlerCounts()
        self._files: list[ServiceFile] = []
        self._stop_requested = asyncio.Event()
        self._stopped = asyncio.Event()
        self._exit_code: int | None = None
        self._failure = 0
        self._stack = AsyncExitStack()
        self._watcher: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._health: Health | None = None
        self._saved_exit_code = 0

    # Starting and stopping

    async def start(self, within: float = 30.0) -> None:
        """Creates the services and takes them to "ready".

        Raises:
            ServiceStartupError: a service could not be imported, created or started (it is stopped).
        """
        import tomodachi as facade

        self._capture_logs()
        self._saved_exit_code = facade.SERVICE_EXIT_CODE
        facade.SERVICE_EXIT_CODE = facade.DEFAULT_SERVICE_EXIT_CODE
        get_contextvar("exit_code").set(-1)
        self._stack.callback(_listen_for_exit(self._on_exit))
        try:
            if self._broker is not None:
                await self._stack.enter_async_context(self._broker.activate())
        except BaseException:  # the log capture and the exit listener must not outlive the failure
            await self._finish()
            raise
        if not registry.get_services():
            from tomodachi._launcher import fill_execution_context

            fill_execution_context(watcher_enabled=False)
        try:
            self._files = self._load()
            created = create_all(self._files)
        except Exception as exc:
            await self._finish()
            raise ServiceStartupError(f"the services could not be created: {exc!r}", self.logs) from exc
        if not created:
            await self._finish()
            raise ServiceStartupError("the services could not be created", self.logs)
        try:
            self._health = await open_health(self._files, self._stop_requested)
        except HealthServerError as exc:
            await self._finish()
            raise ServiceStartupError(f"the health endpoints could not be served: {exc}", self.logs) from exc
        try:
            ready = await asyncio.wait_for(start_all(self._files, self._stop_requested), within)
        except TimeoutError:
            ready = False
            get_logger("tomodachi.testing").error("the services were not ready in time", within=within)
        except asyncio.CancelledError:  # the test was cancelled (a timeout around it): leave nothing behind
            await self._stop_files()
            await self._finish()
            raise
        if not ready:
            self._failure = 1
            await self._stop_files()
            await self._finish()
            raise ServiceStartupError("the services failed to start", self.logs)
        if self._health is not None:
            self._health.mark_started()
        self._watcher = asyncio.create_task(self._stop_when_requested(), name="tomodachi.testing.stop")

    def _capture_logs(self) -> None:
        root = logging.getLogger()
        collector = LogCollector(self.logs, self._log_level)
        root.addHandler(collector)
        self._stack.callback(root.removeHandler, collector)
        if root.getEffectiveLevel() > self._log_level:
            self._stack.callback(root.setLevel, root.level)
            root.setLevel(self._log_level)

    def _load(self) -> list[ServiceFile]:
        classes = [source for source in self._sources if isinstance(source, type)]
        files = []
        if classes:
            files.append(ServiceFile(classes, _source_path(classes[0]), self._configure))
        for source in self._sources:
            if not isinstance(source, type):
                path = os.fspath(source)
                files.append(ServiceFile(service_classes(import_service_file(path)), path, self._configure))
        return files

    def _configure(self, instance: Any) -> None:
        if self._config:
            apply_config(instance, self._config)
        if isinstance(self._options, Options):
            instance.options = copy.deepcopy(self._options)
        elif self._options:
            instance.options = instance.options.merged(dict(self._options))
        forced: dict[str, Any] = dict(self._broker.service_options()) if self._broker is not None else {}
        if self._http_host is not None:
            forced["http.host"] = self._http_host
        if self._http_port is not None:
            forced["http.port"] = self._http_port
            forced["http.reuse_port"] = False
        if forced:
            instance.options = instance.options.merged(forced)
        self.counts.instrument(instance)
        if self._broker is not None:
            self._broker.attach(instance)

    def _on_exit(self, exit_code: int) -> None:
        self._stop_requested.set()

    async def _stop_when_requested(self) -> None:
        await self._stop_requested.wait()
        try:
            await self._stop_files()
        finally:
            await self._finish()

    async def _stop_files(self) -> None:
        """Stops the services as ``tomodachi run`` does: readiness off first, health servers last."""
        if self._health is not None:
            self._health.mark_stopping()
        try:
            await stop_all(self._files)
        finally:
            if self._health is not None:
                await self._health.close()
                self._health = None

    async def _finish(self) -> None:
        import tomodachi as facade

        if self._session is not None:
            await self._session.close()
            self._session = None
        self._exit_code = self._failure or int(facade.SERVICE_EXIT_CODE)
        facade.SERVICE_EXIT_CODE = self._saved_exit_code
        await self._stack.aclose()
        if not registry.get_services():
            registry._clear_execution_context()
        self._stopped.set()

    async def stop(self, within: float = 60.0) -> int:
        """Stops the services (hooks and transports, as at SIGTERM) unless they have stopped already.

        Args:
            within: Seconds to wait for them to stop.

        Returns:
            The exit code.

        Raises:
            TimeoutError: they did not stop in time.
        """
        self._stop_requested.set()
        return await self.wait_for_exit(within)

    async def wait_for_exit(self, within: float = 5.0) -> int:
        """Waits until the services have stopped by themselves (``tomodachi.exit()``).

        Args:
            within: Seconds to wait.

        Returns:
            The exit code.

        Raises:
            TimeoutError: they were still running after ``within`` seconds.
        """
        try:
            await asyncio.wait_for(self._stopped.wait(), within)
        except TimeoutError:
            raise TimeoutError(f"the services were still running after {within}s") from None
        assert self._exit_code is not None
        return self._exit_code

    # What a test reads

    @property
    def running(self) -> bool:
        """Whether the services run (started, and neither stopping nor stopped)."""
        return self._watcher is not None and not self._stop_requested.is_set()

    @property
    def exit_code(self) -> int | None:
        """The exit code once stopped (``tomodachi.exit(code)``'s, 1 after a failure, else 0); ``None``
        while running."""
        return self._exit_code if self._stopped.is_set() else None

    @property
    def instances(self) -> list[Any]:
        """The service instances, in start order."""
        return [service.instance for service_file in self._files for service in service_file.services]

    @property
    def instance(self) -> Any:
        """The service instance (the first one when several run)."""
        instances = self.instances
        if not instances:
            raise LookupError("no service instance was created")
        return instances[0]

    def runtimes(self, transport: str) -> list[Any]:
        """The running transport runtimes called ``transport`` (``http``, ``amqp``, ``aws_sns_sqs``,
        ``schedule``), of every service."""
        return [
            runtime
            for service_file in self._files
            for service in service_file.services
            for name, runtime in service.runtimes
            if name == transport
        ]

    @property
    def port(self) -> int:
        """The port the HTTP server listens on (the first service's that has HTTP handlers).

        Raises:
            LookupError: no service has HTTP handlers.
        """
        runtimes = self.runtimes("http")
        if not runtimes:
            raise LookupError("no service has HTTP handlers")
        return int(runtimes[0].port)

    @property
    def url(self) -> str:
        """The base URL of the HTTP server, ``http://<host>:<port>``."""
        host = self._http_host or "127.0.0.1"
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def health_url(self) -> str:
        """The base URL the health endpoints are served on (``Options.health``): the HTTP server's, or
        the health server's own (``health.port``, or a free port for a service without HTTP handlers).

        Raises:
            LookupError: no service enables the health endpoints (or the services have stopped).
        """
        if self._health is None:
            raise LookupError("no service enables the health endpoints (Options.health.enabled)")
        for server in self._health.servers.values():
            return f"http://127.0.0.1:{server.port}"
        return self.url

    @property
    def http(self) -> aiohttp.ClientSession:
        """An aiohttp client session on ``url`` (relative paths: ``service.http.get("/health")``,
        ``service.http.ws_connect("/ws")``); closed when the services stop."""
        if self._session is None:
            import aiohttp

            self._session = aiohttp.ClientSession(self.url)
        return self._session

    def handled(self, handler: Any) -> int:
        """How many runs of a message or scheduled handler (function or name) completed.

        Raises:
            KeyError: the services have no message or scheduled handler of that name.
        """
        return self.counts.handled[self.counts.known_name(handler)]

    def failed(self, handler: Any) -> int:
        """How many runs of a message or scheduled handler (function or name) raised.

        Raises:
            KeyError: the services have no message or scheduled handler of that name.
        """
        return self.counts.failed[self.counts.known_name(handler)]

    async def wait_for_handled(self, handler: Any, count: int = 1, within: float = 5.0) -> None:
        """Waits until ``count`` runs of a handler have completed in all, since the start.

        Args:
            handler: The handler function (``MyService.on_order``) or its name; an SNS+SQS, AMQP or
                scheduled handler (HTTP handlers are not counted: await their response).
            count: The total to wait for.
            within: Seconds to wait.

        Raises:
            TimeoutError: not reached in time; the message gives the handled and failed counts.
            KeyError: the services have no such handler.
        """
        await self.counts.wait("handled", handler, count, within)

    async def wait_for_failed(self, handler: Any, count: int = 1, within: float = 5.0) -> None:
        """Waits until ``count`` runs of a handler have raised in all; as ``wait_for_handled``."""
        await self.counts.wait("failed", handler, count, within)

    async def trigger(self, handler: Any) -> None:
        """Runs a scheduled handler now, as if its time had come, and waits until the run ends.

        Args:
            handler: The scheduled handler function or its name.

        Raises:
            KeyError: no running service has a scheduled handler of that name.
        """
        from tomodachi_scheduler.testing import run_now

        from ._counting import handler_name

        name = handler_name(handler)
        for runtime in self.runtimes("schedule"):
            if any(name in (job.spec.name, job.spec.qualname) for job in runtime.jobs):
                await run_now(runtime, name)
                return
        raise KeyError(f"no running scheduled handler named {name!r}")
