"""Handlers get invocation_time and interval however they declare them."""

from __future__ import annotations

import functools
from typing import Any

import pytest

from tomodachi_scheduler import HandlerError
from tomodachi_scheduler._invocation import plan_call

VALUES = {"invocation_time": "2026-11-28T16:46:44Z", "interval": "minutely"}


class Service:
    async def positional(self, invocation_time, interval):  # type: ignore[no-untyped-def]
        return ("positional", invocation_time, interval)

    async def reversed_with_defaults(self, interval: Any = None, invocation_time: str = "") -> Any:
        return ("reversed", invocation_time, interval)

    async def keyword_only(self, *, invocation_time: str) -> Any:
        return ("keyword_only", invocation_time)

    async def positional_only(self, invocation_time: str, /, other: int = 3) -> Any:
        return ("positional_only", invocation_time, other)

    async def nothing(self) -> Any:
        return "nothing"

    async def varargs(self, *args: Any, **kwargs: Any) -> Any:
        return (args, kwargs)

    async def unfillable(self, payload: dict[str, Any]) -> None: ...

    def sync(self, invocation_time: str = "") -> None: ...


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("positional", ("positional", VALUES["invocation_time"], "minutely")),
        ("reversed_with_defaults", ("reversed", VALUES["invocation_time"], "minutely")),
        ("keyword_only", ("keyword_only", VALUES["invocation_time"])),
        ("positional_only", ("positional_only", VALUES["invocation_time"], 3)),
        ("nothing", "nothing"),
        ("varargs", ((), {})),  # as in tomodachi 0.29: only declared names are passed
    ],
)
async def test_handler_receives_the_values_it_declares(method: str, expected: Any) -> None:
    invoke = plan_call(getattr(Service(), method), method)

    assert await invoke(VALUES) == expected


def test_parameter_without_value_or_default_is_refused_naming_both() -> None:
    with pytest.raises(HandlerError, match=r"'Service\.unfillable'.*'payload'"):
        plan_call(Service().unfillable, "Service.unfillable")


def test_sync_handler_is_refused() -> None:
    with pytest.raises(HandlerError, match=r"'Service\.sync' must be an async function"):
        plan_call(Service().sync, "Service.sync")


async def test_partial_of_an_async_function_is_accepted() -> None:
    async def handler(prefix: str, invocation_time: str) -> str:
        return prefix + invocation_time

    invoke = plan_call(functools.partial(handler, "at "), "handler")

    assert await invoke(VALUES) == "at 2026-11-28T16:46:44Z"
