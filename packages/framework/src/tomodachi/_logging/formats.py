"""The format names and what renders each; the formatter modules are imported only when chosen.

``console`` (the default), ``no_color_console``, ``json``, ``python``, ``disabled`` and ``custom``.
"""

from __future__ import annotations

import logging

from .custom import CustomLogger
from .handler import Render

FORMAT_NAMES = ("console", "no_color_console", "json", "python", "disabled", "custom")


def check_format_name(name: str) -> str:
    """Return ``name`` normalised (stripped, lower-case).

    Raises:
        ValueError: ``name`` is not a format name.
    """
    normalised = str(name).strip().lower()
    if normalised not in FORMAT_NAMES:
        raise ValueError(f"invalid logger format {name!r}: use {', '.join(FORMAT_NAMES)}")
    return normalised


def make_render(name: str, custom: CustomLogger | None) -> Render | None:
    """Return what renders records in the format ``name``; ``None`` when no handler is wanted.

    Raises:
        ValueError: ``name`` is ``custom`` and ``custom`` is ``None``.
    """
    if name == "console":
        from .console import ConsoleFormatter

        return ConsoleFormatter().format
    if name == "no_color_console":
        from .console import ConsoleFormatter

        return ConsoleFormatter(colors=False).format
    if name == "json":
        from .json_format import JsonFormatter

        return JsonFormatter().format
    if name == "python":
        from .plain import PythonFormatter

        return PythonFormatter().format
    if name == "disabled":
        return _drop
    if custom is None:
        raise ValueError(
            "the 'custom' logger format needs a custom logger "
            "(--custom-logger, TOMODACHI_CUSTOM_LOGGER or configure(custom_logger=...))"
        )
    return None if custom.passthrough else custom


def _drop(record: logging.LogRecord) -> None:
    return None
