"""The ``tomodachi`` command line."""

from __future__ import annotations

import sys


def cli_entrypoint(argv: list[str] | None = None) -> None:
    """Entry point of the ``tomodachi`` console script."""
    raise SystemExit(f"tomodachi: the command line is not available yet ({sys.argv[0]})")
