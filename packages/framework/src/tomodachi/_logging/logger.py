"""``Logger``: a structlog bound logger whose events become stdlib ``logging`` records.

Each call checks the level of the stdlib logger it wraps first, so a disabled level costs one cached
lookup. An enabled event becomes one record on ``logging.getLogger(<name>)``: ``record.msg`` is the
event, ``record.args`` its positional arguments, ``exc_info`` and ``stack_info`` are passed on, and
the bound context plus the call's keywords (``logger`` first) sit in the record attribute
``logger.context``. The record then propagates like any other, so handlers such as Sentry's see it,
and the one tomodachi root handler formats it (see ``setup``). structlog's processor chain is not
used: formatting happens on the handler side, the same way for every record.
"""

from __future__ import annotations

import logging
from typing import Any, Self

import structlog

from .levels import method_level, parse_level
from .names import CONTEXT_ATTRIBUTE

_DEBUG = logging.DEBUG
_INFO = logging.INFO
_WARNING = logging.WARNING
_ERROR = logging.ERROR
_CRITICAL = logging.CRITICAL

# Frames between the stdlib logging call in ``_emit`` and the caller of a logging method:
# ``_emit`` itself and the method (``info``...).
_STACKLEVEL = 3


class Logger(structlog.stdlib.BoundLogger):
    """The logger returned by ``tomodachi.get_logger()``.

    It is immutable: ``bind(**fields)`` returns a new logger with more fields, ``unbind(*keys)`` and
    ``try_unbind(*keys)`` one with fewer, and ``new(**fields)`` one with only ``logger`` and the given
    fields. The logging methods take the event (the message), optional ``%``-style positional
    arguments and fields as keywords; ``exc_info`` (``True``, an exception or an exc_info tuple) and
    ``stack_info`` have their stdlib meaning::

        logger = tomodachi.get_logger("my.app").bind(order_id=order_id)
        logger.info("order accepted", amount=amount)
        logger.exception("order failed")   # adds the current exception

    The async variants (``ainfo``...) log right away in the calling task.
    """

    _logger: logging.Logger

    def new(self, **new_values: Any) -> Self:
        """Return a logger with the same name and only ``new_values`` as fields."""
        context = self._context.__class__()
        if "logger" in self._context:
            context["logger"] = self._context["logger"]
        context.update(new_values)
        return self.__class__(self._logger, self._processors, context)

    def debug(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level debug."""
        return self._emit(_DEBUG, event, args, kw)

    def info(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level info."""
        return self._emit(_INFO, event, args, kw)

    def msg(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level info (structlog's generic name)."""
        return self._emit(_INFO, event, args, kw)

    def warning(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level warning."""
        return self._emit(_WARNING, event, args, kw)

    def warn(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level warning."""
        return self._emit(_WARNING, event, args, kw)

    def error(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level error."""
        return self._emit(_ERROR, event, args, kw)

    def exception(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level error with the exception being handled (unless ``exc_info`` is given)."""
        kw.setdefault("exc_info", True)
        return self._emit(_ERROR, event, args, kw)

    def critical(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level critical."""
        return self._emit(_CRITICAL, event, args, kw)

    def fatal(self, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at level critical."""
        return self._emit(_CRITICAL, event, args, kw)

    def log(self, level: int | str, event: str | None = None, *args: Any, **kw: Any) -> Any:
        """Log ``event`` at ``level``, a number or a name such as ``"info"``.

        Raises:
            ValueError: ``level`` names no level.
        """
        return self._emit(parse_level(level), event, args, kw)

    async def adebug(self, event: str | None = None, *args: Any, **kw: Any) -> None:
        """Log ``event`` at level debug (in the calling task; nothing is awaited)."""
        self._emit(_DEBUG, event, args, kw)

    async def ainfo(self, event: str | None = None, *args: Any, **kw: Any) -> None:
        """Log ``event`` at level info (in the calling task; nothing is awaited)."""
        self._emit(_INFO, event, args, kw)

    async def awarning(self, event: str | None = None, *args: Any, **kw: Any) -> None:
        """Log ``event`` at level warning (in the calling task; nothing is awaited)."""
        self._emit(_WARNING, event, args, kw)

    async def aerror(self, event: str | None = None, *args: Any, **kw: Any) -> None:
        """Log ``event`` at level error (in the calling task; nothing is awaited)."""
        self._emit(_ERROR, event, args, kw)

    async def aexception(self, event: str | None = None, *args: Any, **kw: Any) -> None:
        """Log ``event`` at level error with the exception being handled."""
        kw.setdefault("exc_info", True)
        self._emit(_ERROR, event, args, kw)

    async def acritical(self, event: str | None = None, *args: Any, **kw: Any) -> None:
        """Log ``event`` at level critical (in the calling task; nothing is awaited)."""
        self._emit(_CRITICAL, event, args, kw)

    async def afatal(self, event: str | None = None, *args: Any, **kw: Any) -> None:
        """Log ``event`` at level critical (in the calling task; nothing is awaited)."""
        self._emit(_CRITICAL, event, args, kw)

    async def alog(self, level: Any, event: str | None = None, *args: Any, **kw: Any) -> None:
        """Log ``event`` at ``level`` (in the calling task; nothing is awaited)."""
        self._emit(parse_level(level), event, args, kw)

    def _proxy_to_logger(
        self, method_name: str, event: str | None = None, *event_args: Any, **event_kw: Any
    ) -> Any:
        # structlog's own helpers call this one; route them the same way.
        if method_name == "exception":
            event_kw.setdefault("exc_info", True)
        return self._emit(method_level(method_name), event, event_args, event_kw, _STACKLEVEL + 1)

    def _emit(
        self,
        level: int,
        event: Any,
        args: tuple[Any, ...],
        kw: dict[str, Any],
        stacklevel: int = _STACKLEVEL,
    ) -> None:
        logger = self._logger
        if not logger.isEnabledFor(level):
            return
        exc_info = kw.pop("exc_info", None)
        stack_info = bool(kw.pop("stack_info", False))
        stacklevel += int(kw.pop("stacklevel", 1)) - 1
        context = {**self._context, **kw} if kw else self._context
        logger.log(
            level,
            "" if event is None else event,
            *args,
            exc_info=exc_info,
            stack_info=stack_info,
            stacklevel=stacklevel,
            extra={CONTEXT_ATTRIBUTE: context},
        )
