import functools
from typing import Any

import pytest

from tomodachi_middleware import CallNext, MiddlewareError, compose

SERVICE = object()
MESSAGE = {"data": 1}
SQS = ("service", "message", "topic")
UNSET = object()


async def handler(**kwargs: Any) -> dict[str, Any]:
    return kwargs


async def run(middleware: Any, **extra: Any) -> Any:
    """Run ``middleware`` in an SQS-shaped chain; slots are (service, message, topic, context)."""
    chain = compose(handler, [middleware], positionals=SQS)
    return await chain(SERVICE, MESSAGE, "orders", message=MESSAGE, topic="orders", **extra)


async def test_a_middleware_with_only_func_receives_no_slot() -> None:
    async def middleware(func: CallNext) -> Any:
        return ("called", await func())

    assert await run(middleware) == ("called", {"message": MESSAGE, "topic": "orders"})


async def test_slots_follow_func_one_per_positional_parameter_without_default() -> None:
    async def one(func: CallNext, a: Any) -> Any:
        return (a,)

    async def two(func: CallNext, a: Any, b: Any) -> Any:
        return (a, b)

    async def four(func: CallNext, a: Any, b: Any, c: Any, d: Any) -> Any:
        return (a, b, c, d)

    assert await run(one) == (SERVICE,)
    assert await run(two) == (SERVICE, MESSAGE)
    assert await run(four) == (SERVICE, MESSAGE, "orders", {})


async def test_positional_parameters_with_defaults_receive_no_slot() -> None:
    async def middleware(func: CallNext, a: Any, b: Any = UNSET, c: Any = UNSET) -> Any:
        return (a, b, c)

    assert await run(middleware) == (SERVICE, UNSET, UNSET)


async def test_a_defaulted_positional_parameter_still_takes_a_keyword_of_its_name() -> None:
    async def middleware(func: CallNext, a: Any, topic: Any = UNSET) -> Any:
        return (a, topic)

    assert await run(middleware) == (SERVICE, "orders")


async def test_var_positional_without_defaults_receives_every_slot() -> None:
    async def middleware(func: CallNext, *args: Any) -> Any:
        return args

    assert await run(middleware) == (SERVICE, MESSAGE, "orders", {})


async def test_var_positional_alone_receives_func_first() -> None:
    async def middleware(*args: Any) -> Any:
        return (len(args), await args[0]())

    assert await run(middleware) == (5, {"message": MESSAGE, "topic": "orders"})


async def test_var_positional_with_defaults_receives_only_the_required_slots() -> None:
    async def middleware(func: CallNext, a: Any, b: Any = UNSET, *args: Any) -> Any:
        return (a, b, args)

    assert await run(middleware) == (SERVICE, UNSET, ())


async def test_required_positionals_beyond_the_slots_are_filled_by_keyword() -> None:
    async def middleware(
        func: CallNext, service: Any, message: Any, topic: Any, context: Any, message_uuid: Any
    ) -> Any:
        return (service, context, message_uuid)

    assert await run(middleware, message_uuid="uuid-1") == (SERVICE, {}, "uuid-1")


async def test_a_positional_parameter_named_like_a_transport_keyword_receives_its_value() -> None:
    async def middleware(func: CallNext, service: Any, topic: Any) -> Any:
        return (service, topic)

    assert await run(middleware) == (SERVICE, "orders")


async def test_a_positional_parameter_named_like_a_custom_keyword_receives_its_value() -> None:
    async def adds(func: CallNext) -> Any:
        return await func(service="from keyword")

    async def reads(func: CallNext, service: Any, payload: Any) -> Any:
        return (service, payload)

    chain = compose(handler, [adds, reads], positionals=SQS)

    assert await chain(SERVICE, MESSAGE, "orders") == ("from keyword", MESSAGE)


async def test_func_is_never_replaced_by_a_keyword_of_the_same_name() -> None:
    async def adds(func: CallNext) -> Any:
        return await func(func="not callable")

    async def calls(func: CallNext, **kwargs: Any) -> Any:
        return (kwargs, await func())

    chain = compose(handler, [adds, calls], positionals=SQS)
    result = await chain(SERVICE, MESSAGE, "orders")

    assert result == ({}, {"func": "not callable"})


async def test_keywords_are_filtered_to_the_names_a_middleware_declares() -> None:
    async def middleware(func: CallNext, *, topic: str, message_uuid: str = "none") -> Any:
        return (topic, message_uuid)

    assert await run(middleware, receipt_handle="rh") == ("orders", "none")


async def test_var_keyword_receives_every_keyword_not_given_positionally() -> None:
    async def adds(func: CallNext) -> Any:
        return await func(user="ada")

    async def middleware(func: CallNext, service: Any, message: Any, **kwargs: Any) -> Any:
        return (message, kwargs)

    chain = compose(handler, [adds, middleware], positionals=SQS)
    result = await chain(SERVICE, MESSAGE, "orders", message=MESSAGE, topic="orders", receipt_handle="rh")

    assert result == (MESSAGE, {"user": "ada", "topic": "orders", "receipt_handle": "rh"})


async def test_positional_only_parameters_are_never_offered_by_keyword() -> None:
    async def middleware(func: CallNext, /, topic: Any = UNSET) -> Any:
        return topic

    async def positional_only(func: CallNext, service: Any, /, *, topic: str) -> Any:
        return (service, topic)

    assert await run(middleware) == "orders"
    assert await run(positional_only) == (SERVICE, "orders")


async def test_an_object_with_an_async_call_method_is_a_middleware_without_self() -> None:
    class Authenticate:
        def __init__(self, user: str) -> None:
            self.user = user

        async def __call__(self, func: CallNext, service: Any, *, topic: str) -> Any:
            return await func(user=self.user, seen=(service, topic))

    result = await run(Authenticate("ada"))

    assert result == {"user": "ada", "seen": (SERVICE, "orders"), "message": MESSAGE, "topic": "orders"}


async def test_a_bound_method_is_a_middleware() -> None:
    class Tracer:
        def __init__(self) -> None:
            self.spans: list[str] = []

        async def trace(self, func: CallNext, service: Any, message: Any, *, topic: str) -> Any:
            self.spans.append(topic)
            return await func(span=len(self.spans))

    tracer = Tracer()
    result = await run(tracer.trace)

    assert tracer.spans == ["orders"]
    assert result == {"span": 1, "message": MESSAGE, "topic": "orders"}


async def test_a_partial_of_an_async_function_is_a_middleware() -> None:
    async def tagged(tag: str, func: CallNext, service: Any) -> Any:
        return await func(tag=tag)

    result = await run(functools.partial(tagged, "blue"))

    assert result == {"tag": "blue", "message": MESSAGE, "topic": "orders"}


def test_a_middleware_that_is_not_callable_is_refused() -> None:
    with pytest.raises(MiddlewareError, match=r"middleware 'int' object is not callable"):
        compose(handler, [42])  # type: ignore[list-item]


def test_a_sync_function_is_refused() -> None:
    def blocking(func: CallNext) -> Any:
        return func()

    with pytest.raises(MiddlewareError, match=r"middleware '.*blocking' is not async"):
        compose(handler, [blocking])


def test_an_object_with_a_sync_call_method_is_refused() -> None:
    class Blocking:
        def __call__(self, func: CallNext) -> Any:
            return func()

    with pytest.raises(MiddlewareError, match=r"middleware '.*Blocking' object is not async"):
        compose(handler, [Blocking()])


def test_a_class_is_refused() -> None:
    class Middleware:
        async def __call__(self, func: CallNext) -> Any:
            return await func()

    with pytest.raises(MiddlewareError, match=r"middleware class '.*Middleware' is not async"):
        compose(handler, [Middleware])  # type: ignore[list-item]


def test_a_middleware_without_a_positional_parameter_for_func_is_refused() -> None:
    async def keywords_only(*, topic: str) -> Any:
        return topic

    with pytest.raises(MiddlewareError, match=r"'.*keywords_only' takes no positional parameter"):
        compose(handler, [keywords_only])


def test_a_middleware_whose_func_parameter_has_a_default_is_refused() -> None:
    async def optional_func(func: Any = None, *args: Any) -> Any:
        return None

    with pytest.raises(MiddlewareError, match=r"'.*optional_func' takes no positional parameter"):
        compose(handler, [optional_func])


def test_the_error_names_the_middleware_and_is_a_type_error() -> None:
    def sync_middleware(func: CallNext) -> None:
        return None

    with pytest.raises(TypeError) as caught:
        compose(handler, [sync_middleware])  # type: ignore[list-item]

    assert isinstance(caught.value, MiddlewareError)
    assert "sync_middleware" in str(caught.value)
