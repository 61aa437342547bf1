"""Finding a service class's handlers and grouping their specs by transport."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from tomodachi_middleware import handler_specs

from ._invoker import unsupported_invoker_function
from ._transport import Transport


def _handler_functions(cls: type) -> Iterator[tuple[str, Any]]:
    seen: set[str] = set()
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if name in seen:
                continue
            seen.add(name)
            function = value.__func__ if isinstance(value, staticmethod | classmethod) else value
            if handler_specs(function):
                yield name, function
            elif unsupported_invoker_function(function):
                raise TypeError(
                    f"{cls.__qualname__}.{name} is marked as a tomodachi 0.29 invoker function but has no "
                    "handler spec: make its decorator with tomodachi.invoker.Invoker.decorator(...) or "
                    "record a spec with tomodachi_middleware.register_handler(...)"
                )


def _definition_line(function: Any) -> int:
    code = getattr(inspect.unwrap(function), "__code__", None)
    return code.co_firstlineno if code is not None else 0


def specs_by_transport(cls: type) -> dict[Transport, list[Any]]:
    """Each transport used by ``cls`` with its handler specs, in the order the handlers are defined.

    A spec is bound to its method name through its own fields; the order is the source order of
    the handler functions, as tomodachi starts them.

    Raises:
        TypeError: a function is marked as a 0.29 invoker function but records no handler spec.
    """
    handlers = sorted(_handler_functions(cls), key=lambda item: _definition_line(item[1]))
    grouped: dict[Transport, list[Any]] = {}
    for _name, function in handlers:
        for spec in handler_specs(function):
            grouped.setdefault(spec.transport, []).append(spec)
    return grouped
