"""The start-up banner printed to stdout in development mode (``tomodachi run`` without --production)."""

from __future__ import annotations

import os
import platform
import socket
import sys

from .__about__ import __version__

_LOGO = "tomodachi 友達"


def _colour(code: str) -> tuple[str, str]:
    quiet = any(
        os.environ.get(name, "").lower() in ("1", "true")
        for name in (
            "NO_COLOR",
            "NOCOLOR",
            "TOMODACHI_NO_COLOR",
            "TOMODACHI_NOCOLOR",
            "TOMODACHI_BANNER_NO_COLOR",
        )
    )
    if quiet or not sys.stdout.isatty():
        return "", ""
    return f"\033[{code}m", "\033[0m"


def banner_text(files: list[str], loop_setting: str, event_loop: str) -> str:
    bold, reset = _colour("1")
    dim, _ = _colour("2")
    lines = [
        f"{bold}{_LOGO}{reset}",
        f"{dim}process id:{reset} {os.getpid()}  {dim}command:{reset} {' '.join(sys.argv)}",
        *(f"{dim}service file:{reset} {file}" for file in files),
        f"{dim}host:{reset} {platform.system()} {platform.release()} / {socket.gethostname()}",
        f"{dim}python:{reset} {platform.python_implementation()} {platform.python_version()}",
        f"{dim}executable:{reset} {sys.executable}",
        f"{dim}tomodachi:{reset} {__version__}",
        f"{dim}event loop:{reset} {event_loop} ({loop_setting})",
        "",
        "file watcher enabled: services restart when their code changes (use --production to turn it off)",
        "stop the services with <ctrl+c>",
        "",
    ]
    return "\n".join(lines)


def print_banner(files: list[str], loop_setting: str, event_loop: str) -> None:
    print(banner_text(files, loop_setting, event_loop), flush=True)
