"""Which handler is running in the current task, for the logs it writes.

A transport sets it in the task that runs a handler (``tomodachi.http.handler`` with
``handler=<name>``, ...); the facade's ``tomodachi.get_logger()`` then returns a logger with that name
and those fields. It lives here, the lowest library every transport depends on, so that transports
can set it without importing the facade. Tasks copy their context when created, so a handler's
context never leaks into another handler's task.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

HandlerContext = tuple[str, dict[str, Any]]

_current: ContextVar[HandlerContext | None] = ContextVar("tomodachi.handler_context", default=None)


def set_handler_context(logger_name: str, **fields: Any) -> Token[HandlerContext | None]:
    """Names the logger and fields of the handler that runs in the current task.

    Returns:
        A token for ``reset_handler_context``, for a caller that runs more than one handler in a task.
    """
    return _current.set((logger_name, fields))


def reset_handler_context(token: Token[HandlerContext | None]) -> None:
    """Restores the handler context from before ``set_handler_context``."""
    _current.reset(token)


def handler_context() -> HandlerContext | None:
    """The logger name and fields of the handler running in the current task, if any."""
    return _current.get()
