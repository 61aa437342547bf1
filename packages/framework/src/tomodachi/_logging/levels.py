"""Level names in and out: ``"info"`` <-> ``logging.INFO``, lower-case in the output."""

from __future__ import annotations

import logging

_OUTPUT_NAMES = {
    logging.DEBUG: "debug",
    logging.INFO: "info",
    logging.WARNING: "warning",
    logging.ERROR: "error",
    logging.CRITICAL: "critical",
}

_INPUT_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "warn": logging.WARNING,
    "error": logging.ERROR,
    "exception": logging.ERROR,
    "critical": logging.CRITICAL,
    "fatal": logging.CRITICAL,
    "notset": logging.NOTSET,
}


def level_name(levelno: int, fallback: str) -> str:
    """Return the lower-case output name of a level (``fallback`` lower-cased for custom levels)."""
    name = _OUTPUT_NAMES.get(levelno)
    return name if name is not None else fallback.lower()


def parse_level(value: int | str) -> int:
    """Return the numeric level of ``value``.

    Args:
        value: A level number, or a name such as ``"info"`` or ``"WARNING"`` (``warn`` and ``fatal``
            are accepted), or a number written as a string.

    Returns:
        The ``logging`` level number.

    Raises:
        ValueError: ``value`` names no level.
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"invalid log level {value!r}: use debug, info, warning, error or critical")
    if isinstance(value, int):
        return value
    text = value.strip().lower()
    if text.isdigit():
        return int(text)
    level = _INPUT_LEVELS.get(text)
    if level is None:
        raise ValueError(f"invalid log level {value!r}: use debug, info, warning, error or critical")
    return level


def method_level(method_name: str) -> int:
    """Return the level that a logger method (``info``, ``warn``, ``exception``, ``msg``...) writes at."""
    return _INPUT_LEVELS.get(method_name, logging.INFO)
