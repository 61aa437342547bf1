"""Reading signatures once, and naming callables in error messages."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ._errors import MiddlewareError


def read_signature(fn: Callable[..., Any], role: str) -> inspect.Signature:
    """Return the signature that calling ``fn`` goes through.

    Bound methods and callable objects leave out ``self``; ``__wrapped__`` is followed, so a function
    decorated with ``functools.wraps`` reports the parameters of the function it wraps.

    Raises:
        MiddlewareError: ``fn`` is not callable or its signature cannot be read.
    """
    if not callable(fn):
        raise MiddlewareError(f"{role} {describe(fn)} is not callable")
    try:
        return inspect.signature(fn)
    except (TypeError, ValueError) as exc:
        raise MiddlewareError(f"cannot read the signature of {role} {describe(fn)}: {exc}") from exc


def describe(obj: object) -> str:
    """A short, quoted name for ``obj`` in error messages."""
    name = getattr(obj, "__qualname__", None)
    if isinstance(name, str) and not isinstance(obj, type):
        return repr(name)
    if isinstance(obj, type):
        return f"class {obj.__qualname__!r}"
    return f"{type(obj).__qualname__!r} object"
