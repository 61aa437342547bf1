"""Calling a service's handlers: arguments bound by name, the middleware chain built once."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from tomodachi_middleware import accepted_keywords, compose

from ._errors import HttpConfigurationError

# An async callable that runs a handler (through its middlewares) with the request's keywords.
Invoker = Callable[..., Any]

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def bind_handler(service: Any, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` as a method of ``service`` (functions defined on a class are unbound)."""
    descriptor = getattr(func, "__get__", None)
    if descriptor is not None and inspect.isfunction(func):
        return descriptor(service, type(service))  # type: ignore[no-any-return]
    return func


def adapt_handler(handler: Callable[..., Any], positional: Sequence[str]) -> Invoker:
    """An async function ``call(**keywords)`` that calls ``handler`` with what it declares.

    The signature is read here, once. The first positional parameters of ``handler`` that have
    no keyword of their own receive the values named in ``positional`` (``request``; for a
    websocket ``websocket`` then ``request``), as tomodachi passes them; other keywords are given
    only when declared (all of them with ``**kwargs``). A sync handler is called as it is.

    Args:
        handler: The bound handler.
        positional: The keywords that fill leading positional parameters, in order.

    Returns:
        The adapter, carrying the handler's names.

    Raises:
        HttpConfigurationError: The handler's signature cannot be read.
    """
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError) as exc:
        raise HttpConfigurationError(f"cannot read the signature of {handler!r}") from exc
    accepted = accepted_keywords(handler)
    leading = [p.name for p in signature.parameters.values() if p.kind in _POSITIONAL][: len(positional)]
    fills = tuple(zip(leading, positional, strict=False))
    names = tuple(sorted(accepted)) if accepted is not None else None

    async def call(**keywords: Any) -> Any:
        args = []
        for parameter, source in fills:
            if parameter in keywords:
                break
            args.append(keywords[source])
        if names is None:
            offered = keywords
        else:
            offered = {}
            for name in names:  # a loop, not a comprehension: one frame less per call on 3.11
                if name in keywords:
                    offered[name] = keywords[name]
        result = handler(*args, **offered)
        if inspect.isawaitable(result):
            result = await result
        return result

    call.__name__ = getattr(handler, "__name__", "handler")
    call.__qualname__ = getattr(handler, "__qualname__", call.__name__)
    return call


def build_chain(
    handler: Callable[..., Any],
    middlewares: Sequence[Any],
    positional: Sequence[str] = ("request",),
    pre_handler_func: Callable[..., Any] | None = None,
    service: Any = None,
) -> Invoker:
    """The callable that runs one handler for a request: ``await chain(**keywords)``.

    Args:
        handler: The bound handler.
        middlewares: The service's ``http_middleware``, outermost first; none gives the handler's
            adapter itself.
        positional: As for ``adapt_handler``.
        pre_handler_func: Awaited as ``pre_handler_func(service, request)`` before the handler.
        service: The service instance, the middlewares' ``service`` slot.

    Returns:
        An async callable taking the transport keywords (``request``, ``status_code``,
        ``websocket``, the path's named groups).

    Raises:
        HttpConfigurationError: A signature cannot be read.
        tomodachi_middleware.MiddlewareError: A middleware cannot work.
    """
    call = adapt_handler(handler, positional)
    if pre_handler_func is not None:
        inner = call
        pre = pre_handler_func

        async def call_after_pre_handler(**keywords: Any) -> Any:
            result = pre(service, keywords["request"])
            if inspect.isawaitable(result):
                await result
            return await inner(**keywords)

        call_after_pre_handler.__name__ = inner.__name__
        call_after_pre_handler.__qualname__ = inner.__qualname__
        call = call_after_pre_handler
    if not middlewares:
        return call
    chain = compose(call, middlewares, positionals=("service", "request"))

    async def run_chain(**keywords: Any) -> Any:
        return await chain(service, keywords["request"], **keywords)

    return run_chain
