"""The logger of the current context: ``get_logger`` and ``bind_logger``.

A transport binds the logger of a handler (``tomodachi.http.handler`` with ``handler=<name>``...) in
the task that runs the handler, so ``tomodachi.get_logger()`` inside the handler returns it. Tasks
copy the context they are created in, so a binding never leaks into the tasks of other handlers.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from tomodachi_middleware import handler_context

from .logger import Logger
from .names import DEFAULT_LOGGER_NAME

_bound: ContextVar[Logger | None] = ContextVar("tomodachi.logging.bound_logger", default=None)
_named: dict[str, Logger] = {}


def get_logger(name: str | None = None) -> Logger:
    """Return a logger.

    Args:
        name: The logger name. ``None`` asks for the logger of the current context: the one bound
            by ``bind_logger``, else the handler's (a transport names it with
            ``tomodachi_middleware.set_handler_context``), else ``tomodachi.service``.

    Returns:
        With a name: the logger bound to the current context if it has that name, else a logger
        whose only field is ``logger=<name>``. Without one: the logger of the current context.
    """
    bound = _bound.get()
    if name is None:
        if bound is not None:
            return bound
        running = handler_context()
        if running is not None:
            # A transport runs a handler in this task: its logger, with the handler's fields.
            return _logger_named(running[0]).bind(**running[1])
        name = DEFAULT_LOGGER_NAME
    elif bound is not None and bound.name == name:
        return bound
    return _logger_named(name)


def _logger_named(name: str) -> Logger:
    logger = _named.get(name)
    if logger is None:
        logger = Logger(logging.getLogger(name), (), {"logger": name})
        _named[name] = logger
    return logger


getLogger = get_logger
"""The stdlib-style alias of ``get_logger``."""


def bind_logger(logger: Logger | str) -> None:
    """Make ``logger`` the logger of the current context (what ``get_logger()`` returns).

    Args:
        logger: A logger, usually ``get_logger(name).bind(...)``, or a logger name.
    """
    _bound.set(get_logger(logger) if isinstance(logger, str) else logger)


def forget_loggers() -> None:
    """Drop the named loggers kept so far and unbind the logger of the current context."""
    _named.clear()
    _bound.set(None)
