"""Composing a handler with its middlewares into one async function, once.

``compose`` reads every signature up front and turns each middleware into a step function; a call
of the chain then only moves values around. The whole chain runs in the caller's task: no task is
spawned per step, so a context variable set by a middleware is visible to the handler and to later
middlewares.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from ._errors import MiddlewareError
from ._plan import plan_middleware
from ._signature import describe
from ._steps import State, Step, build_steps
from ._types import Chain, Handler, Middleware

_NO_KEYWORDS: dict[str, Any] = {}  # shared, never written to


def compose(
    handler: Handler,
    middlewares: Iterable[Middleware],
    *,
    positionals: Iterable[str] = (),
) -> Chain:
    """Build the chain that runs ``middlewares`` around ``handler``.

    Args:
        handler: The innermost callable. It is called as ``await handler(**keywords)`` with every
            keyword of the call: the custom keywords added by middlewares merged with the transport
            keywords, the transport ones winning. Wrap a handler that declares only some keywords in
            :class:`KeywordFilter`. The ``func`` that middlewares receive reports the handler's
            ``__name__`` and ``__qualname__``, so an adapter should carry the real handler's names
            (``functools.wraps``).
        middlewares: Async functions or objects with an async ``__call__`` (bound methods too). The
            first one is the outermost: it is called first and returns last.
        positionals: Names of the transport's positional slots, given to middlewares after
            ``func``; for example ``("service", "request")``. The per-call ``middleware_context``
            dict is always added as the last slot.

    Returns:
        The chain, an async function: ``await chain(*positional_values, **transport_keywords)``
        takes one value per name in ``positionals`` and returns what the outermost middleware (or,
        without middlewares, the handler) returns. Calling it with another number of positional
        values raises ``TypeError``.

    Raises:
        MiddlewareError: ``handler`` is not callable, or a middleware is not callable, is not async,
            or has no positional parameter without a default to receive ``func``.
    """
    if not callable(handler):
        raise MiddlewareError(f"handler {describe(handler)} is not callable")
    names = tuple(positionals)
    for name in names:
        if not isinstance(name, str):
            raise MiddlewareError(f"positionals must be names (str), got {name!r}")
    middlewares = tuple(middlewares)
    plans = tuple(plan_middleware(middleware, len(names) + 1) for middleware in middlewares)
    arity = len(names)

    def wrong_arity(values: tuple[Any, ...]) -> TypeError:
        return TypeError(f"the chain takes {arity} positional values {names}, got {len(values)}")

    if not plans:

        async def run_handler(*positional_values: Any, **transport_keywords: Any) -> Any:
            if len(positional_values) != arity:
                raise wrong_arity(positional_values)
            return await handler(**transport_keywords)

        chain = run_handler
    else:
        first: Step = build_steps(handler, plans)

        async def run_chain(*positional_values: Any, **transport_keywords: Any) -> Any:
            if len(positional_values) != arity:
                raise wrong_arity(positional_values)
            state: State = ((*positional_values, {}), transport_keywords, _NO_KEYWORDS, transport_keywords)
            return await first(state)

        chain = run_chain

    chain.handler = handler  # type: ignore[attr-defined]
    chain.middlewares = middlewares  # type: ignore[attr-defined]
    chain.positionals = names  # type: ignore[attr-defined]
    return cast(Chain, chain)
