"""Running service files in a fresh event loop, from the CLI or from ``tomodachi.run()``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from ._launcher import Launcher


def loop_factory(setting: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The event loop factory for ``--loop``: uvloop's when asked for or, with ``auto``, when installed."""
    if setting in ("asyncio", "aio", "async"):
        return None
    try:
        import uvloop
    except ImportError:
        if setting in ("uvloop", "libuv", "uv"):
            raise
        return None
    if setting in ("auto", "default", "uvloop", "libuv", "uv"):
        return uvloop.new_event_loop
    return None


def run_once(
    files: list[str],
    configuration: dict[str, Any],
    *,
    loop_setting: str = "auto",
    watcher_enabled: bool = False,
    on_services_created: Callable[[Any], None] | None = None,
) -> tuple[int, bool]:
    """Runs the services of ``files`` until they stop.

    Args:
        on_services_created: called with each service instance once it is created and configured.

    Returns:
        The exit code, and whether ``tomodachi.exit()`` ended the run.
    """
    import tomodachi as facade

    facade.SERVICE_EXIT_CODE = facade.DEFAULT_SERVICE_EXIT_CODE
    launcher = Launcher(
        files, configuration, watcher_enabled=watcher_enabled, on_service_created=on_services_created
    )
    with asyncio.Runner(loop_factory=loop_factory(loop_setting)) as runner:
        failure_code = runner.run(launcher.run())
    exit_code = failure_code or int(facade.SERVICE_EXIT_CODE)
    return exit_code, launcher.exit_requested


def run_services(
    files: list[str], configuration: dict[str, Any], *, loop_setting: str, production: bool
) -> int:
    """Runs the services; without ``production``, restarts them when their code changes.

    Returns:
        The process exit code.
    """
    if production:
        exit_code, _ = run_once(files, configuration, loop_setting=loop_setting)
        return exit_code
    from ._watcher import run_with_reload

    return run_with_reload(files, configuration, loop_setting=loop_setting)
