"""Finding a service class's handlers and grouping their specs by transport (``specs_by_transport``)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest

import tomodachi
from tomodachi._handlers import specs_by_transport
from tomodachi_middleware import register_handler

F = TypeVar("F", bound=Callable[..., Any])


class Transport:
    def __init__(self, name: str) -> None:
        self.name = name

    def create_runtime(self, service: Any, specs: Sequence[Any]) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Spec:
    transport: Transport
    label: str


QUEUE = Transport("queue")
TIMER = Transport("timer")


def on(transport: Transport, label: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        register_handler(func, Spec(transport, label))
        return func

    return decorate


def labels(cls: type) -> dict[str, list[str]]:
    grouped = specs_by_transport(cls)
    return {transport.name: [spec.label for spec in specs] for transport, specs in grouped.items()}


def test_specs_follow_the_order_handlers_are_defined_in() -> None:
    class Orders(tomodachi.Service):
        @on(QUEUE, "zeta")
        async def zeta(self) -> None:
            pass

        @on(QUEUE, "alpha")
        async def alpha(self) -> None:
            pass

    assert labels(Orders) == {"queue": ["zeta", "alpha"]}


@on(QUEUE, "defined first")
async def defined_first(self: Any) -> None:
    pass


@on(QUEUE, "defined second")
async def defined_second(self: Any) -> None:
    pass


def test_order_is_the_source_line_not_the_order_of_the_class_body() -> None:
    class Orders(tomodachi.Service):
        second = defined_second
        first = defined_first

    assert list(vars(Orders)).index("second") < list(vars(Orders)).index("first")
    assert labels(Orders) == {"queue": ["defined first", "defined second"]}


def test_specs_are_grouped_per_transport() -> None:
    class Orders(tomodachi.Service):
        @on(TIMER, "tick")
        async def tick(self) -> None:
            pass

        @on(QUEUE, "order")
        async def order(self) -> None:
            pass

        @on(TIMER, "tock")
        async def tock(self) -> None:
            pass

    grouped = specs_by_transport(Orders)

    assert list(grouped) == [TIMER, QUEUE]
    assert labels(Orders) == {"timer": ["tick", "tock"], "queue": ["order"]}


def test_several_decorators_on_one_function_each_give_a_spec() -> None:
    class Orders(tomodachi.Service):
        @on(TIMER, "outer timer")
        @on(QUEUE, "queue")
        @on(TIMER, "inner timer")
        async def handler(self) -> None:
            pass

    assert labels(Orders) == {"timer": ["inner timer", "outer timer"], "queue": ["queue"]}


def test_handlers_of_base_classes_are_included() -> None:
    class Base(tomodachi.Service):
        @on(QUEUE, "from base")
        async def inherited(self) -> None:
            pass

    class Leaf(Base):
        @on(QUEUE, "from leaf")
        async def own(self) -> None:
            pass

    # The leaf comes first in the method resolution order; the base handler is defined first.
    assert labels(Leaf) == {"queue": ["from base", "from leaf"]}


def test_override_in_a_subclass_replaces_the_base_handler() -> None:
    class Base(tomodachi.Service):
        @on(QUEUE, "base handler")
        async def handler(self) -> None:
            pass

        @on(QUEUE, "base other")
        async def other(self) -> None:
            pass

    class Leaf(Base):
        @on(TIMER, "leaf handler")
        async def handler(self) -> None:
            pass

        async def other(self) -> None:  # no longer a handler
            pass

    assert labels(Leaf) == {"timer": ["leaf handler"]}


def test_static_and_class_methods_can_be_handlers() -> None:
    class Orders(tomodachi.Service):
        @staticmethod
        @on(QUEUE, "static")
        async def static_handler() -> None:
            pass

        @classmethod
        @on(QUEUE, "class")
        async def class_handler(cls) -> None:
            pass

    assert labels(Orders) == {"queue": ["static", "class"]}


def test_decorated_wrappers_are_ordered_by_the_wrapped_function() -> None:
    @tomodachi.decorator
    async def allow(*args: Any, **kwargs: Any) -> bool:
        return True

    class Orders(tomodachi.Service):
        @on(QUEUE, "first")
        @allow
        async def first(self) -> None:
            pass

        @on(QUEUE, "second")
        async def second(self) -> None:
            pass

    assert labels(Orders) == {"queue": ["first", "second"]}


def test_class_without_handlers_has_no_specs() -> None:
    class Idle(tomodachi.Service):
        value = 1

        async def helper(self) -> None:
            pass

    assert specs_by_transport(Idle) == {}


def test_function_marked_as_0_29_invoker_function_without_spec_raises_type_error() -> None:
    async def handler(self: Any) -> None:
        pass

    handler._tomodachi_function_is_invoker_function = True  # type: ignore[attr-defined]
    hand_made = type("HandMade", (tomodachi.Service,), {"handler": handler})

    with pytest.raises(TypeError, match=r"HandMade\.handler .* has no handler spec"):
        specs_by_transport(hand_made)
