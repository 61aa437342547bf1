"""``tomodachi.exit()``: a graceful stop of every running service, with an exit code."""

from __future__ import annotations

from collections.abc import Callable

from ._contextvars import get_contextvar
from .logging import get_logger

# Called with the exit code by ``exit()``, besides the launcher: in-process runners (tomodachi.testing).
_exit_listeners: list[Callable[[int], None]] = []


def _listen_for_exit(listener: Callable[[int], None]) -> Callable[[], None]:
    """Calls ``listener(exit_code)`` at each ``tomodachi.exit()``; returns the function that stops it."""
    _exit_listeners.append(listener)

    def forget() -> None:
        if listener in _exit_listeners:
            _exit_listeners.remove(listener)

    return forget


def exit(exit_code: int | None = None) -> None:
    """Stops every running service gracefully; the process then exits with ``exit_code``.

    Without an argument the current ``tomodachi.SERVICE_EXIT_CODE`` is kept.
    """
    import tomodachi as facade

    from ._launcher import Launcher  # imported here: it pulls in asyncio, not needed to import tomodachi

    code = exit_code if exit_code is not None else facade.SERVICE_EXIT_CODE
    get_logger("tomodachi.exit").warning(f"tomodachi.exit [{code}] was called", exit_code=code)
    facade.SERVICE_EXIT_CODE = code
    get_contextvar("exit_code").set(code)
    launcher = Launcher.current
    if launcher is not None:
        launcher.stop_for_exit()
    for listener in list(_exit_listeners):
        listener(code)
