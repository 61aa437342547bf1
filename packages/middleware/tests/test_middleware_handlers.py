from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tomodachi_middleware import handler_specs, register_handler


@dataclass(frozen=True)
class Spec:
    transport: Any
    argument: str


def test_function_without_marks_has_no_specs() -> None:
    def plain() -> None: ...

    assert handler_specs(plain) == ()


def test_specs_are_kept_in_the_order_the_decorators_ran() -> None:
    def handler() -> None: ...

    register_handler(handler, Spec("http", "first"))
    register_handler(handler, Spec("amqp", "second"))

    assert handler_specs(handler) == (Spec("http", "first"), Spec("amqp", "second"))


def test_a_foreign_value_under_the_attribute_is_not_taken_for_specs() -> None:
    def handler() -> None: ...

    handler.__tomodachi_handler_specs__ = "something else"  # type: ignore[attr-defined]
    assert handler_specs(handler) == ()
