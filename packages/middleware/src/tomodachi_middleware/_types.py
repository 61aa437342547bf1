"""The seams of a middleware chain: what a handler, a middleware and ``func`` look like."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeAlias

Handler: TypeAlias = Callable[..., Awaitable[Any]]
"""The innermost callable of a chain: called as ``await handler(**keywords)``."""

Middleware: TypeAlias = Callable[..., Awaitable[Any]]
"""An async function, or an object with an async ``__call__``, that receives ``func`` first."""

MiddlewareContext: TypeAlias = dict[str, Any]
"""The dict given as the last positional slot: shared by the middlewares of one call, fresh per call."""


class CallNext(Protocol):
    """The ``func`` a middleware receives: awaiting it runs the rest of the chain.

    Keywords passed to it are added to (or replace) the custom keywords that later middlewares and the
    handler receive. Transport keywords keep their values whatever is passed. Positional arguments are
    accepted and ignored, so a middleware may hand back what it received (``await func(*args, **kw)``).
    """

    __name__: str
    __qualname__: str

    def __call__(self, *args: Any, **kwargs: Any) -> Awaitable[Any]: ...


class Chain(Protocol):
    """What :func:`compose` returns: an async function that runs the middlewares and the handler.

    ``await chain(*positional_values, **transport_keywords)``, once per request, message or run.
    """

    handler: Handler
    """The innermost callable."""
    middlewares: tuple[Middleware, ...]
    """The middlewares, outermost first."""
    positionals: tuple[str, ...]
    """The names of the positional values a call takes."""

    def __call__(self, *positional_values: Any, **transport_keywords: Any) -> Awaitable[Any]: ...
