"""Calling a scheduled handler with the keywords it declares, planned once from its signature."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from ._errors import HandlerError

# The values a scheduled handler may ask for by parameter name.
KEYWORDS = ("invocation_time", "interval")

Invoke = Callable[[dict[str, Any]], Awaitable[Any]]


def is_async_callable(func: Any) -> bool:
    """Return whether ``func`` is an async function (plain, bound or a partial of one)."""
    return inspect.iscoroutinefunction(func)


def plan_call(handler: Callable[..., Any], name: str) -> Invoke:
    """Return a function that calls ``handler`` with the values it declares parameters for.

    ``invocation_time`` and ``interval`` are passed when the handler has parameters of those names:
    positionally for positional-only parameters, by keyword otherwise, with or without defaults.

    Args:
        handler: The bound handler (``self`` already applied).
        name: The handler's name, for error messages.

    Returns:
        ``invoke(values)``, returning the handler's awaitable.

    Raises:
        HandlerError: the handler is not async, or has a parameter without a default that no value
            can be given to.
    """
    if not is_async_callable(handler):
        raise HandlerError(f"scheduled function '{name}' must be an async function (async def)")
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError) as exc:
        raise HandlerError(f"scheduled function '{name}': cannot read its signature: {exc}") from exc
    positional: list[str | None] = []  # a keyword's name, or None for a positional-only default
    defaults: list[Any] = []
    by_keyword: list[str] = []
    for parameter in signature.parameters.values():
        required = parameter.default is inspect.Parameter.empty
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY:
            if parameter.name in KEYWORDS:
                positional.append(parameter.name)
                defaults.append(None)
                continue
            if required:
                _unfillable(name, parameter.name)
            positional.append(None)
            defaults.append(parameter.default)
        elif parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            if parameter.name in KEYWORDS:
                by_keyword.append(parameter.name)
            elif required:
                _unfillable(name, parameter.name)
    while positional and positional[-1] is None:  # trailing defaults need not be passed
        positional.pop()
        defaults.pop()
    slots = tuple(zip(positional, defaults, strict=True))
    keywords = tuple(by_keyword)

    def invoke(values: dict[str, Any]) -> Awaitable[Any]:
        args = [values[key] if key is not None else default for key, default in slots]
        return handler(*args, **{key: values[key] for key in keywords})  # type: ignore[no-any-return]

    return invoke


def _unfillable(name: str, parameter: str) -> None:
    raise HandlerError(
        f"scheduled function '{name}': parameter '{parameter}' has no default and no value to receive; "
        f"a scheduled function is given only {' and '.join(KEYWORDS)}"
    )
