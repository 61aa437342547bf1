"""Structured logging for services: ``get_logger``, ``configure`` and the output formats.

``tomodachi.get_logger()`` returns a structlog-backed ``Logger``; inside a handler it is the
logger that the transport bound for that handler (``tomodachi.http.handler`` with
``handler=<name>``...), elsewhere ``tomodachi.service``. Each event becomes a stdlib ``logging``
record on the logger of the same name, so it propagates through stdlib logging like any other
record, and stdlib records from other libraries are written in the same format.

``tomodachi run`` calls ``configure`` with its ``--log-level``, ``--logger`` and
``--custom-logger`` values. The formats: ``console`` (the default), ``no_color_console``, ``json``,
``python``, ``disabled`` and ``custom``.

    >>> import tomodachi
    >>> logger = tomodachi.get_logger("my.app").bind(order_id=42)
    >>> logger.info("order accepted", amount=10)  # doctest: +SKIP
    2024-05-01T12:00:00.123456Z [info     ] order accepted                 [my.app] order_id=42 amount=10
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._logging.context import bind_logger as bind_logger
from ._logging.context import get_logger as get_logger
from ._logging.context import getLogger as getLogger
from ._logging.formats import FORMAT_NAMES as FORMAT_NAMES
from ._logging.logger import Logger as Logger
from ._logging.names import CONTEXT_ATTRIBUTE as CONTEXT_ATTRIBUTE
from ._logging.names import DEFAULT_LOGGER_NAME as DEFAULT_LOGGER_NAME
from ._logging.names import EXCEPTION as EXCEPTION_LOGGER_NAME
from ._logging.names import LOGGER_NAMES as LOGGER_NAMES
from ._logging.protocol import LoggerProtocol as LoggerProtocol
from ._logging.setup import configure as configure
from ._logging.setup import get_default_formatter as get_default_formatter
from ._logging.setup import reset as reset
from ._logging.setup import set_custom_logger as set_custom_logger
from ._logging.setup import set_default_formatter as set_default_formatter
from ._logging.uncaught import log_uncaught_exception as log_uncaught_exception

if TYPE_CHECKING:
    from ._logging.console import ConsoleFormatter as ConsoleFormatter
    from ._logging.handler import StderrHandler as StderrHandler
    from ._logging.json_format import JsonFormatter as JsonFormatter
    from ._logging.plain import PythonFormatter as PythonFormatter

_LAZY = {
    "ConsoleFormatter": "console",
    "JsonFormatter": "json_format",
    "PythonFormatter": "plain",
    "StderrHandler": "handler",
}

__all__ = [
    "CONTEXT_ATTRIBUTE",
    "DEFAULT_LOGGER_NAME",
    "EXCEPTION_LOGGER_NAME",
    "FORMAT_NAMES",
    "LOGGER_NAMES",
    "ConsoleFormatter",
    "JsonFormatter",
    "Logger",
    "LoggerProtocol",
    "PythonFormatter",
    "StderrHandler",
    "bind_logger",
    "configure",
    "getLogger",
    "get_default_formatter",
    "get_logger",
    "log_uncaught_exception",
    "reset",
    "set_custom_logger",
    "set_default_formatter",
]


def __getattr__(name: str) -> Any:
    # The formatter classes are imported on first use, so that importing this module stays light.
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__package__}._logging.{module_name}"), name)
    globals()[name] = value
    return value
