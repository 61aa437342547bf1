"""The command line every benchmark script offers (see bench/README.md).

``--list-impls`` prints the implementation names as JSON; ``--impl NAME [--quick]`` measures one and
prints one JSON object per line, one per case.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

Results = Mapping[str, Any] | Iterable[Mapping[str, Any]] | None


def bench_main(
    impls: Sequence[str], doc: str | None, quick_help: str, measure: Callable[[str, bool], Results]
) -> int:
    """Runs a benchmark script's command line.

    Args:
        impls: The implementation names the script measures.
        doc: The script's docstring; its first line describes the script in ``--help``.
        quick_help: What ``--quick`` shortens, for ``--help``.
        measure: Called with the implementation and ``quick``; returns one result, several, or
            ``None`` when it printed its results itself.

    Returns:
        The exit code.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0] if doc else None)
    parser.add_argument("--list-impls", action="store_true", help="print the implementation names as JSON")
    parser.add_argument("--impl", choices=impls, help="the implementation to measure")
    parser.add_argument("--quick", action="store_true", help=quick_help)
    args = parser.parse_args()
    if args.list_impls:
        print(json.dumps(list(impls)))
        return 0
    if args.impl is None:
        parser.error("give --list-impls or --impl NAME")
    results = measure(args.impl, args.quick)
    for result in [results] if isinstance(results, Mapping) else results or ():
        print(json.dumps(result), flush=True)
    return 0
