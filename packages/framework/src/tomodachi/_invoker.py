"""``tomodachi.invoker.Invoker``: transports written in tomodachi 0.29's style, on the transport contract.

A 0.29-style transport subclasses ``Invoker`` and makes its decorators with
``Invoker.decorator(cls_func)``. ``cls_func`` is an async function called as
``cls_func(cls, obj, context, func, *decorator_args, **decorator_kwargs)`` once per decorated handler
when the service starts; it records the handler (usually in ``context``) and may return a start
function, which is awaited once every handler of that transport is recorded::

    class Ticker(Invoker):
        @classmethod
        async def tick(cls, obj, context, func, seconds):
            context.setdefault("ticks", []).append((func, seconds))
            if len(context["ticks"]) == 1:
                return lambda: start_ticking(obj, context)  # returned the first time only

    tick = Ticker.decorator(Ticker.tick)

Here each decorated handler records a spec (``tomodachi_middleware.register_handler``) whose
transport is the ``Invoker`` subclass; the lifecycle gives those specs to one runtime per service,
which runs the ``cls_func`` calls in the order the handlers are defined and then the start functions,
all in the runtime's ``start`` step (after ``_start_service``, before ``_started_service``). As in
0.29, such a transport starts consuming and stops by wrapping the service's ``_started_service``
and ``_stop_service`` methods; its runtime's ``consume``, ``drain`` and ``close`` do nothing.

Not supported: functions marked as invoker functions by hand (``FUNCTION_ATTRIBUTE``) that expect to
be called with ``INVOKER_TASK_START_KEYWORD`` by the service container. A service with such a
function fails to start with a ``TypeError`` saying so.
"""

from __future__ import annotations

import functools
import inspect
import sys
import types
import weakref
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar, overload

from tomodachi_middleware import handler_specs, register_handler

from .logging import bind_logger, get_logger
from .options import Options

F = TypeVar("F", bound=Callable[..., Any])

FUNCTION_ATTRIBUTE = "_tomodachi_function_is_invoker_function"
START_ATTRIBUTE = "_tomodachi_deprecated_invoker_function_start_marker"
INVOKER_TASK_START_KEYWORD = "_tomodachi_invoker_task_start_keyword"


class InvokerDecorator(Protocol):
    """What ``Invoker.decorator`` returns: ``@deco`` or ``@deco(*args, **kwargs)``."""

    @overload
    def __call__(self, func: F, /) -> F: ...

    @overload
    def __call__(self, *args: Any, **kwargs: Any) -> Callable[[F], F]: ...


@dataclass(eq=False)
class InvokerSpec:
    """What ``Invoker.decorator`` records on a handler."""

    transport: InvokerTransport
    cls_func: Callable[..., Any]
    handler: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


class InvokerTransport:
    """The transport of one ``Invoker`` subclass, as the lifecycle sees it."""

    def __init__(self, invoker: type[Invoker]) -> None:
        self.invoker = invoker

    @property
    def name(self) -> str:
        return self.invoker.__name__

    def create_runtime(self, service: Any, specs: Sequence[Any]) -> InvokerRuntime:
        return InvokerRuntime(self.invoker, service, list(specs))


_transports: dict[type, InvokerTransport] = {}


def _transport_of(invoker: type[Invoker]) -> InvokerTransport:
    transport = _transports.get(invoker)
    if transport is None:
        transport = _transports[invoker] = InvokerTransport(invoker)
    return transport


def _attribute_snapshot(obj: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in dir(obj):
        if name.startswith("__"):
            continue
        try:
            value = getattr(obj, name)
        except Exception:
            continue
        if not isinstance(value, types.MethodType):
            values[name] = value
    module = sys.modules.get(type(obj).__module__)
    if getattr(module, "__file__", None):
        values["_service_file_path"] = module.__file__  # type: ignore[union-attr]
    return values


def service_context(obj: Any) -> dict[str, Any]:
    """The ``context`` dict of a service, made on first use as 0.29 made it, and set as ``obj.context``.

    It holds the service's attributes (methods excluded) and ``_service_file_path``, on top of any
    ``context`` the service already had; transports keep their per-service state in it.
    """
    context = Invoker.context.get(obj)
    if context is None:
        existing = getattr(obj, "context", None)
        context = existing if isinstance(existing, dict) else {}
        for name, value in _attribute_snapshot(obj).items():
            context.setdefault(name, value)
        Invoker.context[obj] = context
    obj.context = context
    return context


async def _record(invoker: type[Invoker], obj: Any, spec: InvokerSpec) -> Callable[..., Any] | None:
    """Runs ``spec.cls_func`` for the service ``obj``; returns the start function it gave, if any."""
    context = service_context(obj)
    bind = getattr(spec.cls_func, "__get__", None)
    bound = bind(invoker) if bind is not None else spec.cls_func
    result = bound(obj, context, spec.handler, *spec.args, **spec.kwargs)
    if inspect.isawaitable(result):
        result = await result
    return result if callable(result) else None


class InvokerRuntime:
    """Runs the handlers of one ``Invoker`` subclass for one service instance."""

    def __init__(self, invoker: type[Invoker], service: Any, specs: list[InvokerSpec]) -> None:
        self.invoker = invoker
        self.service = service
        self.specs = specs

    async def start(self) -> None:
        starters = []
        for spec in self.specs:
            bind_logger(
                get_logger("tomodachi.setup").bind(
                    wrapped_handler=getattr(spec.handler, "__name__", repr(spec.handler))
                )
            )
            starter = await _record(self.invoker, self.service, spec)
            if starter is not None:
                starters.append(starter)
        for starter in starters:
            bind_logger(
                get_logger("tomodachi.invoker").bind(
                    invoker_module=getattr(starter, "__module__", None),
                    invoker_function=getattr(starter, "__qualname__", repr(starter)).split(".<locals>", 1)[0],
                )
            )
            result = starter()
            if inspect.isawaitable(result):
                await result

    async def consume(self) -> None:
        """Nothing to do: 0.29-style transports start consuming from their ``_started_service`` wrapper."""

    async def drain(self) -> None:
        """Nothing to do: 0.29-style transports stop from their ``_stop_service`` wrapper."""

    async def close(self) -> None:
        """Nothing to do."""


def _without_invoker_wrappers(func: Callable[..., Any]) -> Callable[..., Any]:
    # Another Invoker decorator below this one: its handler is the function underneath.
    unwrapped: Callable[..., Any] = inspect.unwrap(
        func, stop=lambda function: not getattr(function, FUNCTION_ATTRIBUTE, False)
    )
    return unwrapped


class Invoker:
    """Base class of transports written in tomodachi 0.29's style; see the module documentation.

    ``Invoker.context`` maps each service instance to its ``context`` dict (shared by every
    ``Invoker`` subclass, as in 0.29).
    """

    context: ClassVar[MutableMapping[Any, dict[str, Any]]] = weakref.WeakKeyDictionary()

    @classmethod
    def decorator(cls, cls_func: Callable[..., Any]) -> InvokerDecorator:
        """Turns ``cls_func`` into a handler decorator, used bare or with arguments.

        Args:
            cls_func: ``async (cls, obj, context, func, *args, **kwargs) -> start function | None``,
                called for each decorated handler when the service starts, with the decorator's
                arguments.

        Returns:
            A decorator factory: ``@deco`` or ``@deco(*args, **kwargs)``. A single callable argument
            and no keywords is taken as the bare form, as in 0.29. The decorated method behaves as
            before when called.
        """
        transport = _transport_of(cls)

        def factory(*args: Any, **kwargs: Any) -> Any:
            def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
                handler = _without_invoker_wrappers(func)
                spec = InvokerSpec(transport, cls_func, handler, args, dict(kwargs))

                @functools.wraps(handler)
                async def invoker_function(obj: Any, *call_args: Any, **call_kwargs: Any) -> Any:
                    if call_kwargs.get(INVOKER_TASK_START_KEYWORD):
                        return await _record(cls, obj, spec)
                    result = handler(obj, *call_args, **call_kwargs)
                    if inspect.isawaitable(result):
                        result = await result
                    return result

                # Specs of transport decorators applied below this one stay with the function.
                for earlier in handler_specs(func):
                    if earlier not in handler_specs(invoker_function):
                        register_handler(invoker_function, earlier)
                register_handler(invoker_function, spec)
                setattr(invoker_function, FUNCTION_ATTRIBUTE, True)
                return invoker_function

            if not kwargs and len(args) == 1 and callable(args[0]):
                func, args = args[0], ()
                return wrap(func)
            return wrap

        decorator: InvokerDecorator = factory
        return decorator

    @staticmethod
    def options(context: dict[str, Any]) -> Options:
        """The service's options from its ``context``, as ``tomodachi.Options``."""
        options = context.get("options")
        if isinstance(options, Options):
            return options
        return Options(**(options or {}))


def unsupported_invoker_function(function: Any) -> bool:
    """Whether ``function`` is marked as a 0.29 invoker function without a handler spec to run it."""
    return inspect.isfunction(function) and bool(getattr(function, FUNCTION_ATTRIBUTE, False))
