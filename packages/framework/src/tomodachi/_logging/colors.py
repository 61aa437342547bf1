"""Whether console output is coloured.

Colours are off when ``NO_COLOR``, ``NOCOLOR``, ``TOMODACHI_NO_COLOR`` or ``TOMODACHI_NOCOLOR`` is set
(to anything but an empty value, ``0``, ``false``, ``no`` or ``off``), or when ``CLICOLOR``,
``CLI_COLOR`` or ``CLICOLOR_FORCE`` is ``0``/``false``/``no``/``off``. Otherwise they are on when the
stream is a terminal, or when ``CLICOLOR_FORCE`` is set to another value (``1``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

_OFF_SWITCHES = ("NO_COLOR", "NOCOLOR", "TOMODACHI_NO_COLOR", "TOMODACHI_NOCOLOR")
_CLICOLOR = ("CLICOLOR", "CLI_COLOR", "CLICOLOR_FORCE")
_FALSE = frozenset({"0", "false", "no", "off"})


def color_preference(environ: Mapping[str, str] | None = None) -> bool | None:
    """Read the colour switches of the environment.

    Args:
        environ: The environment; ``os.environ`` when ``None``.

    Returns:
        ``False`` when a switch turns colours off, ``True`` when ``CLICOLOR_FORCE`` forces them, and
        ``None`` when it depends on whether the output is a terminal.
    """
    env = os.environ if environ is None else environ
    for name in _OFF_SWITCHES:
        value = env.get(name, "").strip().lower()
        if value and value not in _FALSE:
            return False
    for name in _CLICOLOR:
        if env.get(name, "").strip().lower() in _FALSE:
            return False
    force = env.get("CLICOLOR_FORCE", "").strip()
    return True if force else None


def is_terminal(stream: Any) -> bool:
    """Tell whether ``stream`` is an interactive terminal (``False`` for anything without ``isatty``)."""
    try:
        return bool(stream.isatty())
    except Exception:
        return False
