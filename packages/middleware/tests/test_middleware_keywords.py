import functools
import inspect
from typing import Any

import pytest

from tomodachi_middleware import CallNext, KeywordFilter, MiddlewareError, accepted_keywords, compose


def test_accepted_keywords_lists_positional_or_keyword_and_keyword_only_names() -> None:
    def handler(pos: Any, /, data: Any, topic: Any = None, *args: Any, message_uuid: Any) -> None:
        return None

    assert accepted_keywords(handler) == frozenset({"data", "topic", "message_uuid"})


def test_accepted_keywords_is_none_for_var_keyword() -> None:
    def handler(data: Any, **kwargs: Any) -> None:
        return None

    assert accepted_keywords(handler) is None


def test_accepted_keywords_leaves_out_self_of_bound_methods_and_objects() -> None:
    class Service:
        def handler(self, data: Any) -> None:
            return None

        def __call__(self, request: Any) -> None:
            return None

    assert accepted_keywords(Service().handler) == frozenset({"data"})
    assert accepted_keywords(Service()) == frozenset({"request"})


def test_accepted_keywords_follows_wrapped() -> None:
    def handler(data: Any, topic: Any) -> None:
        return None

    @functools.wraps(handler)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        return None

    assert accepted_keywords(wrapper) == frozenset({"data", "topic"})


def test_accepted_keywords_refuses_what_it_cannot_read() -> None:
    with pytest.raises(MiddlewareError, match="not callable"):
        accepted_keywords(3)  # type: ignore[arg-type]
    with pytest.raises(MiddlewareError, match="cannot read the signature"):
        accepted_keywords(max)


def test_keyword_filter_passes_only_the_keywords_the_function_declares() -> None:
    def handler(data: Any, *, topic: str = "none") -> tuple[Any, str]:
        return (data, topic)

    only = KeywordFilter(handler)

    assert only(data=1, topic="orders", receipt_handle="rh") == (1, "orders")
    assert only(data=2, queue_url="q") == (2, "none")


def test_keyword_filter_passes_every_keyword_to_var_keyword() -> None:
    def handler(**kwargs: Any) -> dict[str, Any]:
        return kwargs

    assert KeywordFilter(handler)(data=1, topic="orders") == {"data": 1, "topic": "orders"}


def test_keyword_filter_leaves_out_keywords_already_given_positionally() -> None:
    def handler(self: Any, message: Any, topic: Any = None) -> tuple[Any, Any, Any]:
        return (self, message, topic)

    def catch_all(self: Any, message: Any, **kwargs: Any) -> tuple[Any, Any, dict[str, Any]]:
        return (self, message, kwargs)

    assert KeywordFilter(handler)("svc", "raw", message="parsed", topic="t") == ("svc", "raw", "t")
    assert KeywordFilter(catch_all)("svc", "raw", message="parsed", topic="t") == (
        "svc",
        "raw",
        {"topic": "t"},
    )


def test_keyword_filter_select_returns_the_accepted_items() -> None:
    def handler(data: Any, topic: Any) -> None:
        return None

    def catch_all(**kwargs: Any) -> None:
        return None

    assert KeywordFilter(handler).select({"data": 1, "other": 2}) == {"data": 1}
    assert KeywordFilter(catch_all).select({"data": 1, "other": 2}) == {"data": 1, "other": 2}


def test_keyword_filter_reports_accepted_names() -> None:
    def handler(data: Any, *, topic: Any) -> None:
        return None

    def catch_all(**kwargs: Any) -> None:
        return None

    assert KeywordFilter(handler).accepted == frozenset({"data", "topic"})
    assert KeywordFilter(catch_all).accepted is None


def test_keyword_filter_looks_like_the_function_it_wraps() -> None:
    async def create_order(data: Any) -> None:
        """Create an order."""

    only = KeywordFilter(create_order)

    assert only.__name__ == "create_order"
    assert only.__qualname__.endswith("create_order")
    assert only.__doc__ == "Create an order."
    assert only.__wrapped__ is create_order  # type: ignore[attr-defined]
    assert list(inspect.signature(only).parameters) == ["data"]


def test_keyword_filter_repr_names_the_function() -> None:
    def create_order(data: Any) -> None:
        return None

    assert "create_order" in repr(KeywordFilter(create_order))
    assert repr(KeywordFilter(create_order)).startswith("<KeywordFilter of ")


async def test_keyword_filter_of_an_async_function_returns_its_coroutine() -> None:
    async def handler(data: Any) -> Any:
        return data

    assert await KeywordFilter(handler)(data=5, topic="ignored") == 5


async def test_keyword_filter_is_a_chain_handler_that_gets_only_its_keywords() -> None:
    class Service:
        async def handler(self, data: Any, user: str) -> tuple[Any, str]:
            return (data, user)

    async def adds_user(func: CallNext) -> Any:
        return await func(user="ada", unused=True)

    chain = compose(KeywordFilter(Service().handler), [adds_user])
    seen: list[str] = []

    async def records(func: CallNext) -> Any:
        seen.append(func.__name__)
        return await func()

    assert await chain(data=1, topic="orders") == (1, "ada")
    assert await compose(KeywordFilter(Service().handler), [records])(data=2, user="u") == (2, "u")
    assert seen == ["handler"]


def test_keyword_filter_refuses_what_is_not_callable() -> None:
    with pytest.raises(MiddlewareError, match="not callable"):
        KeywordFilter(None)  # type: ignore[arg-type]
