import asyncio
import contextvars
import inspect
from typing import Any

import pytest

from tomodachi_middleware import CallNext, MiddlewareError, compose

SERVICE = object()
REQUEST = object()
HTTP = ("service", "request")


async def keywords_handler(**kwargs: Any) -> dict[str, Any]:
    return kwargs


async def test_first_middleware_runs_first_and_returns_last() -> None:
    events: list[str] = []

    def make(label: str) -> Any:
        async def middleware(func: CallNext) -> Any:
            events.append(f"{label} before")
            result = await func()
            events.append(f"{label} after")
            return result

        return middleware

    async def handler(**kwargs: Any) -> str:
        events.append("handler")
        return "done"

    chain = compose(handler, [make("outer"), make("middle"), make("inner")], positionals=HTTP)

    assert await chain(SERVICE, REQUEST, request=REQUEST) == "done"
    assert events == [
        "outer before",
        "middle before",
        "inner before",
        "handler",
        "inner after",
        "middle after",
        "outer after",
    ]


async def test_return_value_of_the_outermost_middleware_is_the_result() -> None:
    async def wrap(func: CallNext) -> Any:
        return ("wrapped", await func())

    async def handler(**kwargs: Any) -> str:
        return "plain"

    assert await compose(handler, [wrap])() == ("wrapped", "plain")


async def test_custom_keywords_accumulate_across_middlewares() -> None:
    seen: dict[str, Any] = {}

    async def add_user(func: CallNext) -> Any:
        return await func(user="ada")

    async def add_trace(func: CallNext, *, user: str) -> Any:
        seen["user in second"] = user
        return await func(trace_id="t-1")

    async def passes_through(func: CallNext, **kwargs: Any) -> Any:
        seen["third"] = dict(kwargs)
        return await func()

    chain = compose(keywords_handler, [add_user, add_trace, passes_through], positionals=HTTP)
    result = await chain(SERVICE, REQUEST, request=REQUEST)

    assert seen["user in second"] == "ada"
    assert seen["third"] == {"user": "ada", "trace_id": "t-1", "request": REQUEST}
    assert result == {"user": "ada", "trace_id": "t-1", "request": REQUEST}


async def test_a_later_middleware_can_replace_a_custom_keyword_value() -> None:
    async def first(func: CallNext) -> Any:
        return await func(user="ada", role="reader")

    async def second(func: CallNext, *, user: str) -> Any:
        return await func(user=user.upper())

    result = await compose(keywords_handler, [first, second])()

    assert result == {"user": "ADA", "role": "reader"}


async def test_transport_keywords_keep_their_values_whatever_a_middleware_passes() -> None:
    seen: list[Any] = []

    async def overrides(func: CallNext) -> Any:
        return await func(request="OVERRIDE", topic="OVERRIDE", extra=1)

    async def observes(func: CallNext, *, request: Any, topic: str) -> Any:
        seen.append((request, topic))
        return await func()

    chain = compose(keywords_handler, [overrides, observes], positionals=HTTP)
    result = await chain(SERVICE, REQUEST, request=REQUEST, topic="orders")

    assert seen == [(REQUEST, "orders")]
    assert result == {"request": REQUEST, "topic": "orders", "extra": 1}


async def test_transport_keywords_win_when_the_innermost_middleware_passes_them_to_the_handler() -> None:
    async def overrides(func: CallNext) -> Any:
        return await func(request="OVERRIDE", extra=1)

    chain = compose(keywords_handler, [overrides], positionals=HTTP)

    assert await chain(SERVICE, REQUEST, request=REQUEST) == {"request": REQUEST, "extra": 1}


async def test_keywords_added_earlier_reach_the_handler_when_a_later_middleware_adds_none() -> None:
    async def adds(func: CallNext) -> Any:
        return await func(user="ada")

    async def adds_nothing(func: CallNext) -> Any:
        return await func()

    assert await compose(keywords_handler, [adds, adds_nothing])() == {"user": "ada"}


async def test_middleware_context_is_shared_within_a_call() -> None:
    async def writes(func: CallNext, service: Any, request: Any, middleware_context: dict[str, Any]) -> Any:
        middleware_context["user"] = "ada"
        return await func()

    async def reads(func: CallNext, service: Any, request: Any, context: dict[str, Any]) -> Any:
        return context.get("user")

    chain = compose(keywords_handler, [writes, reads], positionals=HTTP)

    assert await chain(SERVICE, REQUEST, request=REQUEST) == "ada"


async def test_middleware_context_is_fresh_for_every_call() -> None:
    contexts: list[dict[str, Any]] = []

    async def records(func: CallNext, service: Any, request: Any, context: dict[str, Any]) -> Any:
        contexts.append(dict(context))
        context["seen"] = True
        return await func()

    chain = compose(keywords_handler, [records], positionals=HTTP)
    await chain(SERVICE, REQUEST, request=REQUEST)
    await chain(SERVICE, REQUEST, request=REQUEST)

    assert contexts == [{}, {}]


async def test_a_middleware_that_does_not_call_func_short_circuits() -> None:
    called: list[str] = []

    async def denies(func: CallNext) -> Any:
        return (403, "denied")

    async def never_reached(func: CallNext) -> Any:
        called.append("middleware")
        return await func()

    async def handler(**kwargs: Any) -> str:
        called.append("handler")
        return "ok"

    assert await compose(handler, [denies, never_reached])() == (403, "denied")
    assert called == []


async def test_a_handler_exception_propagates_unchanged_through_middlewares() -> None:
    error = LookupError("missing")

    async def handler(**kwargs: Any) -> None:
        raise error

    async def passes(func: CallNext) -> Any:
        return await func()

    with pytest.raises(LookupError) as caught:
        await compose(handler, [passes, passes])()

    assert caught.value is error


async def test_a_middleware_can_catch_a_handler_exception_and_return_a_value() -> None:
    async def handler(**kwargs: Any) -> None:
        raise ValueError("bad input")

    async def recovers(func: CallNext) -> Any:
        try:
            return await func()
        except ValueError as exc:
            return (400, str(exc))

    assert await compose(handler, [recovers])() == (400, "bad input")


async def test_an_exception_raised_by_a_middleware_propagates() -> None:
    async def fails(func: CallNext) -> Any:
        raise PermissionError("no")

    with pytest.raises(PermissionError, match="no"):
        await compose(keywords_handler, [fails])()


async def test_func_carries_the_handler_names() -> None:
    seen: list[tuple[str, str]] = []

    class Service:
        async def create_order(self, **kwargs: Any) -> None:
            return None

    async def records(func: CallNext) -> Any:
        seen.append((func.__name__, func.__qualname__))
        return await func()

    await compose(Service().create_order, [records, records])()

    qualname = "test_func_carries_the_handler_names.<locals>.Service.create_order"
    assert seen == [("create_order", qualname), ("create_order", qualname)]


async def test_func_of_a_handler_object_is_named_after_its_type() -> None:
    class Endpoint:
        async def __call__(self, **kwargs: Any) -> None:
            return None

    seen: list[tuple[str, str]] = []

    async def records(func: CallNext) -> Any:
        seen.append((func.__name__, func.__qualname__))
        return await func()

    await compose(Endpoint(), [records])()

    assert seen == [("Endpoint", "Endpoint")]


async def test_func_is_a_coroutine_function() -> None:
    results: list[bool] = []

    async def inspects(func: CallNext) -> Any:
        results.append(inspect.iscoroutinefunction(func))
        return await func()

    await compose(keywords_handler, [inspects])()

    assert results == [True]


async def test_func_can_be_awaited_more_than_once() -> None:
    attempts: list[int] = []

    async def flaky(**kwargs: Any) -> str:
        attempts.append(kwargs["attempt"])
        if len(attempts) < 3:
            raise ConnectionError("try again")
        return "ok"

    async def retries(func: CallNext) -> Any:
        for attempt in range(1, 4):
            try:
                return await func(attempt=attempt)
            except ConnectionError:
                continue
        return "gave up"

    assert await compose(flaky, [retries])() == "ok"
    assert attempts == [1, 2, 3]


async def test_positional_arguments_given_to_func_are_ignored() -> None:
    async def hands_back(func: CallNext, *args: Any, **kwargs: Any) -> Any:
        return await func(*args, **kwargs)

    chain = compose(keywords_handler, [hands_back], positionals=HTTP)

    assert await chain(SERVICE, REQUEST, request=REQUEST) == {"request": REQUEST}


async def test_a_contextvar_set_in_a_middleware_is_visible_in_the_handler() -> None:
    current_user: contextvars.ContextVar[str] = contextvars.ContextVar("current_user", default="nobody")

    async def sets(func: CallNext) -> Any:
        current_user.set("ada")
        return await func()

    async def handler(**kwargs: Any) -> str:
        return current_user.get()

    assert await compose(handler, [sets])() == "ada"


async def test_a_contextvar_set_in_the_handler_is_visible_to_middlewares_after_it_returns() -> None:
    outcome: contextvars.ContextVar[str] = contextvars.ContextVar("outcome", default="unset")

    async def reads_after(func: CallNext) -> Any:
        await func()
        return outcome.get()

    async def handler(**kwargs: Any) -> None:
        outcome.set("handled")

    assert await compose(handler, [reads_after])() == "handled"


async def test_the_chain_runs_in_the_callers_task() -> None:
    tasks: list[asyncio.Task[Any] | None] = []

    async def records(func: CallNext) -> Any:
        tasks.append(asyncio.current_task())
        return await func()

    async def handler(**kwargs: Any) -> None:
        tasks.append(asyncio.current_task())

    await compose(handler, [records, records])()

    assert tasks == [asyncio.current_task()] * 3


async def test_an_empty_middleware_list_awaits_the_handler_with_the_transport_keywords() -> None:
    chain = compose(keywords_handler, [], positionals=HTTP)

    assert await chain(SERVICE, REQUEST, request=REQUEST) == {"request": REQUEST}


@pytest.mark.parametrize("count", [0, 1], ids=["no middleware", "one middleware"])
async def test_a_call_with_the_wrong_number_of_positional_values_raises_type_error(count: int) -> None:
    async def passes(func: CallNext) -> Any:
        return await func()

    chain = compose(keywords_handler, [passes] * count, positionals=HTTP)

    with pytest.raises(TypeError, match=r"takes 2 positional values \('service', 'request'\), got 1"):
        await chain(SERVICE)


async def test_the_chain_exposes_what_it_was_built_from() -> None:
    async def passes(func: CallNext) -> Any:
        return await func()

    middlewares = [passes]
    chain = compose(keywords_handler, middlewares, positionals=["service", "request"])
    middlewares.append(passes)

    assert chain.handler is keywords_handler
    assert chain.middlewares == (passes,)
    assert chain.positionals == HTTP
    assert inspect.iscoroutinefunction(chain)


async def test_signatures_are_read_when_the_chain_is_built_not_per_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def named(func: CallNext, service: Any, *, request: Any) -> Any:
        return await func(seen=request)

    async def collects(func: CallNext, **kwargs: Any) -> Any:
        return await func()

    chain = compose(keywords_handler, [named, collects], positionals=HTTP)

    def no_inspection(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("signature read during a call")

    monkeypatch.setattr(inspect, "signature", no_inspection)
    monkeypatch.setattr(inspect, "getfullargspec", no_inspection)

    assert await chain(SERVICE, REQUEST, request=REQUEST) == {"seen": REQUEST, "request": REQUEST}


def test_a_handler_that_is_not_callable_is_refused() -> None:
    with pytest.raises(MiddlewareError, match="handler 'str' object is not callable"):
        compose("handler", [])  # type: ignore[arg-type]


def test_positionals_must_be_names() -> None:
    with pytest.raises(MiddlewareError, match="positionals must be names"):
        compose(keywords_handler, [], positionals=("service", 1))  # type: ignore[arg-type]
