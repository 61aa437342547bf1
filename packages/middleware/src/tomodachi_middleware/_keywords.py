"""Calling a function with only the keywords its signature accepts, inspected once."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

from ._signature import read_signature

_BY_KEYWORD = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def accepted_keywords(fn: Callable[..., Any]) -> frozenset[str] | None:
    """Return the names ``fn`` can take by keyword.

    Args:
        fn: A function, bound method or callable object. ``self`` of a bound method or object is left
            out and ``__wrapped__`` is followed, as :func:`inspect.signature` does.

    Returns:
        The names of its positional-or-keyword and keyword-only parameters, or ``None`` when it has
        ``**kwargs`` and so takes any keyword.

    Raises:
        MiddlewareError: ``fn`` is not callable or its signature cannot be read.
    """
    return _accepted(read_signature(fn, "function"))


def _accepted(signature: inspect.Signature) -> frozenset[str] | None:
    names: set[str] = set()
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            return None
        if parameter.kind in _BY_KEYWORD:
            names.add(parameter.name)
    return frozenset(names)


class KeywordFilter:
    """Wraps ``fn`` so that it receives only the keywords it declares (all of them with ``**kwargs``).

    The signature is read once, here. Calling the filter calls ``fn`` with the positional arguments
    as given and with the keywords it accepts; a keyword whose parameter was already filled by a
    positional argument is left out instead of clashing with it. The filter carries ``fn``'s
    ``__name__``, ``__qualname__``, ``__doc__`` and ``__wrapped__``, and returns whatever ``fn``
    returns (a coroutine for an async ``fn``), so it can be the handler of a chain::

        async def handler(data, topic): ...

        chain = compose(KeywordFilter(handler), middlewares)

    Raises:
        MiddlewareError: ``fn`` is not callable or its signature cannot be read.
    """

    __name__: str
    __qualname__: str

    def __init__(self, fn: Callable[..., Any]) -> None:
        signature = read_signature(fn, "function")
        functools.update_wrapper(self, fn)
        self._fn = fn
        self._accepted = _accepted(signature)
        self._names = tuple(sorted(self._accepted or ()))
        self._positional = tuple(p.name for p in signature.parameters.values() if p.kind in _POSITIONAL)

    @property
    def accepted(self) -> frozenset[str] | None:
        """The names ``fn`` takes by keyword, or ``None`` when it takes any keyword."""
        return self._accepted

    def select(self, keywords: Mapping[str, Any]) -> dict[str, Any]:
        """Return the items of ``keywords`` that ``fn`` accepts, as a new dict."""
        if self._accepted is None:
            return dict(keywords)
        return {name: keywords[name] for name in self._names if name in keywords}

    def __call__(self, /, *args: Any, **kwargs: Any) -> Any:
        """Call ``fn(*args, **accepted_kwargs)`` and return its result."""
        if args:
            for name in self._positional[: len(args)]:
                kwargs.pop(name, None)
        if self._accepted is None:
            return self._fn(*args, **kwargs)
        offered = {}
        for name in self._names:  # a loop, not a comprehension: one frame less per call on 3.11
            if name in kwargs:
                offered[name] = kwargs[name]
        return self._fn(*args, **offered)

    def __repr__(self) -> str:
        return f"<KeywordFilter of {self._fn!r}>"
