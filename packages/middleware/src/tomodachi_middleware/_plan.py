"""How one middleware is called, worked out once from its signature.

A middleware receives, positionally, ``func`` and then as many of the chain's slots (the transport
positionals, then the shared ``middleware_context`` dict) as it has positional parameters without
defaults; with ``*args`` and no defaults it receives all of them. A positional parameter after
``func`` whose name is a current keyword gets that keyword's value instead of the slot's. Keywords
are offered by name, filtered to what the middleware can take by keyword (everything with
``**kwargs``), leaving out any parameter that was already filled positionally.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from ._errors import MiddlewareError
from ._signature import describe, read_signature
from ._types import Middleware

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_BY_KEYWORD = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


@dataclass(frozen=True, slots=True)
class CallPlan:
    """The precomputed way of calling one middleware."""

    middleware: Middleware
    slots: int
    """How many of the chain's slots follow ``func`` in the call."""
    renames: tuple[tuple[int, str], ...]
    """(argument index, parameter name): the argument becomes that keyword's value when present."""
    keywords: tuple[str, ...] | None
    """The names offered by keyword; ``None`` offers every keyword except those in ``given``."""
    given: tuple[str, ...]
    """Parameter names already filled positionally, ``func``'s included."""


def plan_middleware(middleware: object, slot_count: int) -> CallPlan:
    """Work out how to call ``middleware`` in a chain that has ``slot_count`` slots after ``func``.

    Raises:
        MiddlewareError: the middleware is not callable, not async, or has no positional parameter
            without a default to receive ``func``.
    """
    if not callable(middleware):
        raise MiddlewareError(f"middleware {describe(middleware)} is not callable")
    if not _is_async(middleware):
        raise MiddlewareError(
            f"middleware {describe(middleware)} is not async: expected an async function "
            "or an object whose __call__ is an async method"
        )
    parameters = list(read_signature(middleware, "middleware").parameters.values())
    positional = [p for p in parameters if p.kind in _POSITIONAL]
    required = [p for p in positional if p.default is inspect.Parameter.empty]
    var_positional = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters)

    count = 1 + slot_count if var_positional and len(required) == len(positional) else len(required)
    if count == 0:
        raise MiddlewareError(
            f"middleware {describe(middleware)} takes no positional parameter without a default "
            "to receive func, the callable that runs the rest of the chain"
        )
    count = min(count, 1 + slot_count)
    named = positional[:count]
    given = tuple(p.name for p in named)
    renames = tuple((index, p.name) for index, p in enumerate(named) if index > 0)
    keywords: tuple[str, ...] | None = None
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        keywords = tuple(sorted(p.name for p in parameters if p.kind in _BY_KEYWORD and p.name not in given))
    return CallPlan(middleware, count - 1, renames, keywords, given)


def _is_async(middleware: object) -> bool:
    if inspect.iscoroutinefunction(middleware):
        return True
    if isinstance(middleware, type) or inspect.isfunction(middleware) or inspect.ismethod(middleware):
        return False
    return inspect.iscoroutinefunction(type(middleware).__call__)
