"""The per-call machinery of a chain: one step function per middleware, plus the last one.

A step is an async function built once by :func:`build_steps`, specialised for the shape of its
middleware's call. The ``func`` a middleware receives is the next step bound, as a method, to the
state of the call as that middleware sees it::

    (slots, transport keywords, custom keywords, custom and transport merged)

A bound method is cheap to create and forwards ``__name__`` and ``__qualname__`` to its function,
so every step carries the handler's names. ``await func(**new)`` merges ``new`` into the custom
keywords and re-applies the transport keywords last; a step that receives no keywords reuses the
merged dict of the one before, so nothing is copied. Nothing here spawns a task.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import MethodType
from typing import Any, TypeAlias

from ._plan import CallPlan
from ._types import Handler

State: TypeAlias = tuple[tuple[Any, ...], dict[str, Any], dict[str, Any], dict[str, Any]]
Step: TypeAlias = Callable[..., Awaitable[Any]]

_NAMES = ("__module__", "__name__", "__qualname__", "__doc__")

# The steps below repeat a few lines rather than share a helper: each call of a helper would be one
# more frame on every event. Loops stand in for comprehensions for the same reason (Python 3.11).


def build_steps(handler: Handler, plans: tuple[CallPlan, ...]) -> Step:
    """Build the steps, innermost first, and return the one that runs the outermost middleware.

    Every step is called as ``await step(state, **new_keywords)``.
    """
    step = _handler_step(handler)
    _carry_names(step, handler)
    for plan in reversed(plans):
        step = _middleware_step(plan, step)
        _carry_names(step, handler)
    return step


def _carry_names(step: Step, handler: Handler) -> None:
    for name in _NAMES:
        value = getattr(handler, name, None)
        if isinstance(value, str):
            setattr(step, name, value)
    if not isinstance(getattr(handler, "__name__", None), str):
        step.__name__ = step.__qualname__ = type(handler).__name__


def _handler_step(handler: Handler) -> Step:
    async def call_handler(state: State, /, *_ignored: Any, **keywords: Any) -> Any:
        if keywords:
            return await handler(**{**state[2], **keywords, **state[1]})
        return await handler(**state[3])

    return call_handler


def _middleware_step(plan: CallPlan, next_step: Step) -> Step:
    if plan.keywords is None:
        return _step_with_all_keywords(plan, next_step)
    if plan.renames:
        return _step_with_renames(plan, next_step)
    if plan.keywords:
        return _step_with_keywords(plan, next_step)
    return _step_with_positionals(plan, next_step)


def _step_with_positionals(plan: CallPlan, next_step: Step) -> Step:
    middleware, slot_count = plan.middleware, plan.slots

    async def call_middleware(state: State, /, *_ignored: Any, **keywords: Any) -> Any:
        slots, transport, custom, merged = state
        if keywords:
            custom = {**custom, **keywords}
            merged = {**custom, **transport}
        func = MethodType(next_step, (slots, transport, custom, merged))
        return await middleware(func, *slots[:slot_count])

    return call_middleware


def _step_with_keywords(plan: CallPlan, next_step: Step) -> Step:
    middleware, slot_count, names = plan.middleware, plan.slots, plan.keywords or ()

    async def call_middleware(state: State, /, *_ignored: Any, **keywords: Any) -> Any:
        slots, transport, custom, merged = state
        if keywords:
            custom = {**custom, **keywords}
            merged = {**custom, **transport}
        offered = {}
        for name in names:
            if name in merged:
                offered[name] = merged[name]
        func = MethodType(next_step, (slots, transport, custom, merged))
        return await middleware(func, *slots[:slot_count], **offered)

    return call_middleware


def _step_with_renames(plan: CallPlan, next_step: Step) -> Step:
    middleware, slot_count, renames, names = plan.middleware, plan.slots, plan.renames, plan.keywords or ()

    async def call_middleware(state: State, /, *_ignored: Any, **keywords: Any) -> Any:
        slots, transport, custom, merged = state
        if keywords:
            custom = {**custom, **keywords}
            merged = {**custom, **transport}
        args = [MethodType(next_step, (slots, transport, custom, merged)), *slots[:slot_count]]
        for index, name in renames:
            if name in merged:
                args[index] = merged[name]
        offered = {}
        for name in names:
            if name in merged:
                offered[name] = merged[name]
        return await middleware(*args, **offered)

    return call_middleware


def _step_with_all_keywords(plan: CallPlan, next_step: Step) -> Step:
    middleware, slot_count, renames, given = plan.middleware, plan.slots, plan.renames, plan.given

    async def call_middleware(state: State, /, *_ignored: Any, **keywords: Any) -> Any:
        slots, transport, custom, merged = state
        if keywords:
            custom = {**custom, **keywords}
            merged = {**custom, **transport}
        args = [MethodType(next_step, (slots, transport, custom, merged)), *slots[:slot_count]]
        for index, name in renames:
            if name in merged:
                args[index] = merged[name]
        offered = merged
        for name in given:
            if name in merged:
                offered = dict(merged)
                for taken in given:
                    offered.pop(taken, None)
                break
        return await middleware(*args, **offered)

    return call_middleware
