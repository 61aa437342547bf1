"""``tomodachi.run()``: start services from Python code, as ``tomodachi run`` would."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

_called = False


def run(app: str | Sequence[str] | None = None, *args: str, **kwargs: str | None) -> None:
    """Runs the service file ``app`` (default: the calling module's file) with ``tomodachi run``.

    Extra positional strings are passed on as arguments and each keyword as ``--key value`` (``None``
    gives the flag alone), e.g. ``tomodachi.run(production=None, logger="json")``. It runs at most once
    per process and ends the process with the services' exit code.
    """
    global _called
    if _called:
        return
    run_args: list[str] = []
    if not app:
        caller = inspect.getmodule(inspect.stack()[1].frame)
        path = getattr(caller, "__file__", None)
        if not path:
            print("Error: tomodachi.run() needs a service file when called from the interpreter")
            return
        run_args.append(path)
    elif isinstance(app, str):
        run_args.append(app)
    else:
        run_args.extend(arg for arg in app if isinstance(arg, str))
    run_args.extend(arg for arg in args if isinstance(arg, str))
    for key, value in kwargs.items():
        run_args.append(f"--{key.replace('_', '-')}")
        if value is not None:
            run_args.append(value)
    _called = True
    from .cli import run_command

    run_command(run_args)
