"""``tomodachi.exit()``: a graceful stop of every running service, with an exit code."""

from __future__ import annotations

from ._contextvars import get_contextvar
from .logging import get_logger


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
