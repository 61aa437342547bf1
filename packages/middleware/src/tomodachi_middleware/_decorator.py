"""``decorator``: turn a check into a decorator that may answer instead of the handler."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, Protocol, overload

from ._errors import MiddlewareError
from ._signature import describe

P = ParamSpec("P")


class HandlerDecorator(Protocol):
    """What ``@decorator`` makes of a function: a decorator for handlers."""

    @overload
    def __call__(self, handler: Callable[P, Any], /) -> Callable[P, Awaitable[Any]]: ...

    @overload
    def __call__(self) -> HandlerDecorator: ...


@overload
def decorator(fn: Callable[..., Any], /) -> HandlerDecorator: ...


@overload
def decorator(include_function: bool = False) -> Callable[[Callable[..., Any]], HandlerDecorator]: ...


def decorator(
    include_function: bool | Callable[..., Any] = False,
) -> HandlerDecorator | Callable[[Callable[..., Any]], HandlerDecorator]:
    """Make a decorator for handlers out of ``fn``, a sync or async function.

    Use it bare (``@decorator``) or with ``@decorator(include_function=True)``. The result, placed
    below a transport decorator, wraps a handler: each call first calls ``fn`` with the handler's
    arguments (preceded by the handler itself with ``include_function=True``), awaiting the result if
    it is awaitable. When that is ``True`` or ``None`` the handler runs and its result is returned;
    any other value is returned instead, and the handler is not called.

    The wrapper is an async function that carries the handler's ``__name__``, ``__qualname__``,
    ``__doc__`` and ``__wrapped__``, so :func:`inspect.signature` reports the handler's parameters
    and, set on a class, it binds as a method. A sync handler's result is returned as is, from the
    awaitable wrapper.

    Args:
        include_function: Pass the handler as the first argument of ``fn``. When a callable is
            given here instead, it is ``fn`` itself (the bare ``@decorator`` form).

    Returns:
        The handler decorator, or with ``include_function`` a function that makes one.

    Raises:
        MiddlewareError: ``fn`` or a decorated handler is not callable.
    """
    if callable(include_function):
        return _handler_decorator(include_function, include_function=False)
    include = bool(include_function)

    def make(fn: Callable[..., Any]) -> HandlerDecorator:
        return _handler_decorator(fn, include_function=include)

    return make


def _handler_decorator(check: Callable[..., Any], *, include_function: bool) -> HandlerDecorator:
    if not callable(check):
        raise MiddlewareError(f"decorator function {describe(check)} is not callable")

    def apply(handler: Callable[..., Any] | None = None, /) -> Any:
        if handler is None:
            return apply
        if not callable(handler):
            raise MiddlewareError(f"{describe(check)} can only decorate a callable, got {describe(handler)}")

        @functools.wraps(handler)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            verdict = check(handler, *args, **kwargs) if include_function else check(*args, **kwargs)
            if inspect.isawaitable(verdict):
                verdict = await verdict
            if verdict is not True and verdict is not None:
                return verdict
            result = handler(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
            return result

        return wrapper

    functools.update_wrapper(apply, check)
    decorated: HandlerDecorator = apply
    return decorated
