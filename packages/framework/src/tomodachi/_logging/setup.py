"""Setting logging up for a service process: ``configure``, ``reset`` and the format choice.

``configure`` installs one ``StderrHandler`` on the root logger (replacing the one a previous call
installed), sets the root level and quiets a few chatty third-party loggers. ``reset`` removes that
handler, puts the root level back, and forgets the loggers handed out so far. The format chosen with
``set_default_formatter`` or ``configure(formatter=...)`` and the custom logger outlive ``reset``, so
a process that configures again after a restart keeps its format.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from . import structlog_defaults
from .context import forget_loggers
from .custom import CustomLogger, load_custom_logger
from .formats import check_format_name, make_render
from .handler import Render, StderrHandler
from .levels import parse_level
from .names import QUIET_LOGGERS


@dataclass
class _State:
    format_name: str = "console"
    custom: CustomLogger | None = None
    configured: bool = False
    handler: StderrHandler | None = None
    previous_root_level: int | None = None


_state = _State()


def configure(
    log_level: int | str = "info",
    formatter: str | None = None,
    custom_logger: str | object | None = None,
) -> None:
    """Set logging up: one root handler writing to ``sys.stderr`` in the chosen format.

    Calling it again replaces the handler of the previous call; there is never a second one.

    Args:
        log_level: The root level: a number or ``debug``, ``info``, ``warning``, ``error``,
            ``critical``.
        formatter: ``console``, ``no_color_console``, ``json``, ``python``, ``disabled`` or
            ``custom``. ``None`` keeps the format chosen before (``console`` unless
            ``set_default_formatter`` chose another), or ``custom`` when ``custom_logger`` is given.
        custom_logger: The logger of the ``custom`` format: a ``module.attribute`` or ``module``
            path, or the object itself.

    Raises:
        ValueError: An invalid level or format name, a custom logger that cannot be imported or
            cannot log, ``custom_logger`` with another format, or ``custom`` without a custom logger.
            Nothing has been changed then.
    """
    level = parse_level(log_level)
    if formatter is not None:
        name = check_format_name(formatter)
    else:
        name = "custom" if custom_logger is not None else _state.format_name
    custom = _state.custom
    if custom_logger is not None:
        if name != "custom":
            raise ValueError(f"a custom logger needs the 'custom' logger format, not {name!r}")
        custom = load_custom_logger(custom_logger)
    render = make_render(name, custom)
    _state.format_name = name
    _state.custom = custom
    root = logging.getLogger()
    if _state.previous_root_level is None:
        _state.previous_root_level = root.level
    _install(name, render)
    root.setLevel(level)
    for logger_name in QUIET_LOGGERS:
        logging.getLogger(logger_name).setLevel(logging.WARNING)
    _state.configured = True


def reset() -> None:
    """Undo ``configure``: remove the root handler, restore the root level, forget the loggers.

    The loggers handed out by ``get_logger`` so far and the logger bound to the current context
    are dropped. The format choice and the custom logger stay for the next ``configure``.
    """
    _remove_handlers()
    root = logging.getLogger()
    if _state.previous_root_level is not None:
        root.setLevel(_state.previous_root_level)
        _state.previous_root_level = None
    _state.configured = False
    structlog_defaults.uninstall()
    forget_loggers()


def set_default_formatter(name: str) -> None:
    """Choose the format; it applies at once when logging is configured, else at ``configure``.

    Args:
        name: ``console``, ``no_color_console``, ``json``, ``python``, ``disabled`` or ``custom``.

    Raises:
        ValueError: An invalid name, or ``custom`` while configured without a custom logger.
    """
    name = check_format_name(name)
    if _state.configured:
        _install(name, make_render(name, _state.custom))
    _state.format_name = name


def get_default_formatter() -> str:
    """Return the name of the format in use (or to be used by the next ``configure``)."""
    return _state.format_name


def set_custom_logger(custom_logger: str | object | None) -> None:
    """Set (or, with ``None``, forget) the logger of the ``custom`` format.

    Args:
        custom_logger: A ``module.attribute`` or ``module`` path, or the object itself.

    Raises:
        ValueError: It cannot be imported or cannot log; or ``None`` while the ``custom`` format
            is in use.
    """
    custom = None if custom_logger is None else load_custom_logger(custom_logger)
    if _state.configured and _state.format_name == "custom":
        _install("custom", make_render("custom", custom))
    _state.custom = custom


def _install(name: str, render: Render | None) -> None:
    _remove_handlers()
    if render is not None:
        handler = StderrHandler(render, name)
        logging.getLogger().addHandler(handler)
        _state.handler = handler
    if name == "custom":
        structlog_defaults.uninstall()
    else:
        structlog_defaults.install()


def _remove_handlers() -> None:
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, StderrHandler):
            root.removeHandler(handler)
            handler.close()
    _state.handler = None
