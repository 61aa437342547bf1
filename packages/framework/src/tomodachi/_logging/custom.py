"""The ``custom`` format: every event handed to a logger that the user supplies.

The value (``--custom-logger module.attr`` or ``module``, or the object itself) may be:

- the stdlib ``logging`` module: tomodachi then installs no handler at all, and stdlib logging's own
  configuration (``logging.basicConfig(...)`` in the service module, say) decides what is written;
- a stdlib ``logging.Logger`` or ``LoggerAdapter``: each event is logged on it with
  ``log(level, message, extra=<fields>)``;
- a class: instantiated for each event with the context, as keywords when its constructor takes
  ``**kwargs``, as one dict when it takes one argument, without arguments otherwise;
- an object with ``new()`` or ``bind()`` (a structlog logger, loguru's ``logger``) or with
  ``get_logger()`` (the ``structlog`` module): that method is called without arguments for each event;
- an object with the level methods, used as it is; or a function, called without arguments for each
  event to get the logger.

The event is then sent as ``getattr(logger, level)(message, **context)``: ``level`` is ``debug``,
``info``, ``warning``, ``error`` or ``critical``, and the context holds ``logger``, ``timestamp``, the
fields and, when an exception is logged, ``exc_info``. What the custom logger itself writes to stdlib
logging while it handles an event is not handed back to it.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
import sys
import threading
from collections.abc import Callable
from types import ModuleType
from typing import Any

from .event import RECORD_ATTRIBUTES, record_event
from .tracebacks import real_exc_info

Factory = Callable[[dict[str, Any]], Any]

_busy = threading.local()


class CustomLogger:
    """A user-supplied logger, ready to receive records from the root handler.

    Args:
        target: The logger (see the module docstring).

    Raises:
        ValueError: ``target`` offers no way to log.
    """

    def __init__(self, target: object) -> None:
        self.target = target
        self.passthrough = _is_logging_module(target)
        stdlib = isinstance(target, logging.Logger | logging.LoggerAdapter)
        self._factory = None if self.passthrough or stdlib else _factory(target)

    def __call__(self, record: logging.LogRecord) -> None:
        """Send ``record`` to the custom logger; always returns ``None`` (nothing to write)."""
        if getattr(_busy, "active", False) or self.passthrough:
            return
        event = record_event(record)
        level = event.pop("level")
        message = event.pop("message")
        context = {"logger": event.pop("logger"), "timestamp": event.pop("timestamp"), **event}
        exc_info = real_exc_info(record.exc_info)
        _busy.active = True
        try:
            if self._factory is None:
                extra = {key: value for key, value in context.items() if key not in RECORD_ATTRIBUTES}
                self.target.log(record.levelno, message, exc_info=exc_info, extra=extra)  # type: ignore[attr-defined]
            else:
                if exc_info is not None:
                    context["exc_info"] = exc_info
                logger = self._factory(context)
                method = getattr(logger, level, None) or logger.info
                method(message, **context)
        finally:
            _busy.active = False


def load_custom_logger(value: str | object) -> CustomLogger:
    """Return the custom logger named or given by ``value``.

    Args:
        value: A dotted path (``package.module.attribute`` or ``package.module``) or the object.

    Returns:
        The custom logger.

    Raises:
        ValueError: The path cannot be imported, or the object offers no way to log.
    """
    target = import_target(value) if isinstance(value, str) else value
    return CustomLogger(target)


def import_target(path: str) -> object:
    """Import ``module.attribute`` or ``module``; the working directory is tried too, as a last resort.

    Raises:
        ValueError: Nothing importable has that name, or importing it failed.
    """
    path = path.strip()
    if not path or any(not part.isidentifier() for part in path.split(".")):
        raise ValueError(f"invalid custom logger {path!r}: give a 'module' or 'module.attribute' path")
    try:
        return _import(path)
    except ModuleNotFoundError as exc:
        cwd = os.getcwd()
        if cwd in sys.path or "" in sys.path:
            raise ValueError(f"the custom logger {path!r} could not be imported: {exc}") from exc
        sys.path.insert(0, cwd)
        try:
            return _import(path)
        except Exception as retry_exc:
            sys.path.remove(cwd)
            raise ValueError(f"the custom logger {path!r} could not be imported: {retry_exc}") from retry_exc
    except Exception as exc:
        raise ValueError(f"the custom logger {path!r} could not be imported: {exc}") from exc


def _import(path: str) -> object:
    module_name, _, attribute = path.rpartition(".")
    if module_name:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            pass
        else:
            if hasattr(module, attribute):
                return getattr(module, attribute)
    return importlib.import_module(path)


def _is_logging_module(target: object) -> bool:
    return target is logging or (isinstance(target, ModuleType) and target.__name__ == "logging")


def _factory(target: object) -> Factory:
    if isinstance(target, type):
        return _class_factory(target)
    for method_name in ("new", "bind", "get_logger"):
        method = getattr(target, method_name, None)
        if callable(method):
            return _call_without_context(method)
    if callable(getattr(target, "info", None)):
        return lambda context: target
    if callable(target):
        return lambda context: target()
    raise ValueError(
        f"the custom logger {target!r} cannot log: give a logger (with info(), error()...), a class, "
        "or an object with new(), bind() or get_logger()"
    )


def _call_without_context(method: Callable[[], Any]) -> Factory:
    def factory(context: dict[str, Any]) -> Any:
        return method()

    return factory


def _class_factory(cls: type) -> Factory:
    try:
        parameters = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        return lambda context: cls()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return lambda context: cls(**context)
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if any(p.kind in positional or p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return lambda context: cls(context)
    return lambda context: cls()
