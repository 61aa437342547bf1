"""Named context variables, as tomodachi exposes them (``get_contextvar``, ``context``)."""

from __future__ import annotations

import contextvars
from typing import Any

_variables: dict[str, contextvars.ContextVar[Any]] = {}


def get_contextvar(key: str) -> contextvars.ContextVar[Any]:
    """The context variable ``tomodachi.<key>``, created on first use with the default ``None``.

    Keys used by the framework: ``run.args``, ``loop.setting``, ``exit_code`` and ``service.logger``.
    """
    variable = _variables.get(key)
    if variable is None:
        variable = _variables[key] = contextvars.ContextVar(f"tomodachi.{key}", default=None)
    return variable


def context(key: str) -> Any:
    """The current value of ``tomodachi.<key>``, or ``None`` if that variable was never created."""
    variable = _variables.get(key)
    return variable.get() if variable is not None else None
