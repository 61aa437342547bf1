"""Fixtures shared by the facade's unit tests."""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import tomodachi
from tomodachi import _execution_context
from tomodachi._launcher import Launcher
from tomodachi.logging import reset, set_custom_logger, set_default_formatter


def _restore_logging() -> None:
    reset()
    set_custom_logger(None)
    set_default_formatter("console")


@pytest.fixture(autouse=True)
def clean_logging() -> Iterator[None]:
    """Every test starts and ends without tomodachi's log handler, custom logger or format."""
    _restore_logging()
    yield
    _restore_logging()


@pytest.fixture(autouse=True)
def clean_registry() -> Iterator[None]:
    """Every test starts and ends with no registered service, an empty execution context and exit code 0."""
    _execution_context._clear_services()
    _execution_context._clear_execution_context()
    yield
    _execution_context._clear_services()
    _execution_context._clear_execution_context()
    tomodachi.SERVICE_EXIT_CODE = tomodachi.DEFAULT_SERVICE_EXIT_CODE


@pytest.fixture
def isolated_imports(tmp_path: Path) -> Iterator[None]:
    """Forgets the modules a test imported from ``tmp_path`` and restores ``sys.path``."""
    path = list(sys.path)
    modules = set(sys.modules)
    yield
    sys.path[:] = path
    root = str(tmp_path)
    for name in set(sys.modules) - modules:
        module = sys.modules[name]
        locations = [getattr(module, "__file__", None) or "", *(getattr(module, "__path__", None) or ())]
        if any(str(location).startswith(root) for location in locations):
            del sys.modules[name]


RECORDER = '''
class Calls(list):
    """A list that tells its listeners about each entry appended."""

    def append(self, entry):
        super().append(entry)
        for listener in list(LISTENERS):
            listener(entry)


LISTENERS = []
CALLS = Calls()
'''

# A transport for lifecycle tests, written next to the service files: it records each call of the
# transport contract in ``recorder.CALLS``, where the services' hooks record theirs too.
FAKE_TRANSPORT = """
from dataclasses import dataclass
from typing import Any

from recorder import CALLS
from tomodachi_middleware import register_handler


@dataclass(frozen=True)
class FakeSpec:
    transport: Any
    handler: str
    fail_start: bool


class FakeRuntime:
    def __init__(self, specs):
        self.specs = specs

    async def start(self):
        CALLS.append("start")
        if any(spec.fail_start for spec in self.specs):
            raise RuntimeError("cannot bind the fake port")

    async def consume(self):
        CALLS.append("consume")

    async def drain(self):
        CALLS.append("drain")

    async def close(self):
        CALLS.append("close")


class FakeTransport:
    name = "fake"

    def create_runtime(self, service, specs):
        CALLS.append("create_runtime " + ",".join(spec.handler for spec in specs))
        return FakeRuntime(list(specs))


TRANSPORT = FakeTransport()


def fake(*, fail_start=False):
    def decorate(func):
        register_handler(func, FakeSpec(TRANSPORT, func.__name__, fail_start))
        return func

    return decorate
"""


@pytest.fixture
def service_folder(tmp_path: Path, isolated_imports: None) -> Path:
    """A folder for service files, on ``sys.path``, holding ``recorder.py`` and ``fake_transport.py``."""
    folder = tmp_path / "app"
    folder.mkdir()
    (folder / "recorder.py").write_text(RECORDER)
    (folder / "fake_transport.py").write_text(FAKE_TRANSPORT)
    sys.path.insert(0, str(folder))
    return folder


@pytest.fixture
def calls(service_folder: Path) -> list[str]:
    """What the fake transport and the services' hooks recorded, in order."""
    recorded: list[str] = importlib.import_module("recorder").CALLS
    return recorded


class _ReadyWatcher(logging.Handler):
    """Calls ``on_ready`` when the lifecycle logs that the services are ready."""

    def __init__(self, on_ready: Callable[[], None]) -> None:
        super().__init__(logging.INFO)
        self.on_ready = on_ready

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == "started service successfully":
            self.on_ready()


@pytest.fixture
def run_services(service_folder: Path, calls: list[str]) -> Callable[..., Awaitable[int]]:
    """``await run_services(*files, stop_after="ready", configuration=None)``: runs service files
    in-process through ``Launcher`` and returns the exit code.

    A stop is requested once the services are ready ("started service successfully"), or with another
    ``stop_after`` once that entry is recorded; never with ``None``.
    """
    listeners: list[Callable[[str], None]] = importlib.import_module("recorder").LISTENERS

    async def run(
        *files: Path, stop_after: str | None = "ready", configuration: dict[str, Any] | None = None
    ) -> int:
        launcher = Launcher([str(file) for file in files], configuration or {})

        def stop_when_recorded(entry: str) -> None:
            if entry == stop_after:
                launcher.request_stop()

        lifecycle_logger = logging.getLogger("tomodachi.lifecycle")
        level = lifecycle_logger.level
        watcher = _ReadyWatcher(launcher.request_stop)
        if stop_after == "ready":
            lifecycle_logger.setLevel(logging.INFO)
            lifecycle_logger.addHandler(watcher)
        listeners.append(stop_when_recorded)
        try:
            return await asyncio.wait_for(launcher.run(), timeout=10)
        finally:
            listeners.remove(stop_when_recorded)
            lifecycle_logger.removeHandler(watcher)
            lifecycle_logger.setLevel(level)

    return run
