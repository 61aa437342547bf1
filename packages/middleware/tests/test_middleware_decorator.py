import inspect
from typing import Any

import pytest

from tomodachi_middleware import KeywordFilter, MiddlewareError, compose, decorator


class Request:
    def __init__(self, token: str = "") -> None:
        self.token = token


@decorator
async def require_token(service: Any, request: Request) -> Any:
    if request.token != "secret":
        return (403, "denied")
    return None


async def test_the_handler_runs_when_the_decorator_function_returns_none() -> None:
    @require_token
    async def handler(service: Any, request: Request) -> str:
        return "created"

    assert await handler("svc", Request("secret")) == "created"


async def test_any_other_return_value_short_circuits_the_handler() -> None:
    calls: list[str] = []

    @require_token
    async def handler(service: Any, request: Request) -> str:
        calls.append("handler")
        return "created"

    assert await handler("svc", Request("wrong")) == (403, "denied")
    assert calls == []


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        (True, "handler"),
        (None, "handler"),
        (False, False),
        (0, 0),
        ("", ""),
        ({"status": 403}, {"status": 403}),
    ],
)
async def test_only_true_and_none_let_the_handler_run(verdict: Any, expected: Any) -> None:
    @decorator
    async def check(*args: Any, **kwargs: Any) -> Any:
        return verdict

    @check
    async def handler() -> str:
        return "handler"

    assert await handler() == expected


async def test_a_sync_decorator_function_works() -> None:
    @decorator
    def only_admins(service: Any, user: str) -> Any:
        return True if user == "admin" else "forbidden"

    @only_admins
    async def handler(service: Any, user: str) -> str:
        return f"hello {user}"

    assert await handler("svc", "admin") == "hello admin"
    assert await handler("svc", user="guest") == "forbidden"


async def test_a_sync_handler_is_wrapped_into_an_awaitable() -> None:
    @require_token
    def handler(service: Any, request: Request) -> str:
        return "sync result"

    result = handler("svc", Request("secret"))

    assert inspect.isawaitable(result)
    assert await result == "sync result"


async def test_the_decorator_function_receives_the_handler_arguments() -> None:
    seen: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    @decorator
    async def record(*args: Any, **kwargs: Any) -> None:
        seen.append((args, kwargs))

    @record
    async def handler(service: Any, request: Any, *, user: str) -> str:
        return user

    assert await handler("svc", "req", user="ada") == "ada"
    assert seen == [(("svc", "req"), {"user": "ada"})]


async def test_include_function_passes_the_original_function_first() -> None:
    seen: list[Any] = []

    @decorator(include_function=True)
    async def record(function: Any, service: Any, request: Any) -> None:
        seen.append((function, service, request))

    async def handler(service: Any, request: Any) -> str:
        return "ok"

    wrapped = record(handler)

    assert await wrapped("svc", "req") == "ok"
    assert seen == [(handler, "svc", "req")]


async def test_include_function_false_is_the_bare_form() -> None:
    @decorator(include_function=False)
    async def deny(*args: Any) -> str:
        return f"denied {len(args)}"

    @deny
    async def handler(a: Any, b: Any) -> str:
        return "ok"

    assert await handler(1, 2) == "denied 2"


async def test_a_decorator_can_be_applied_with_empty_parentheses() -> None:
    @require_token()
    async def handler(service: Any, request: Request) -> str:
        return "ok"

    assert await handler("svc", Request("secret")) == "ok"


def test_the_wrapper_looks_like_the_original_to_inspection() -> None:
    async def create_data(self: Any, request: Request, *, user: str = "guest") -> str:
        """Create the data."""
        return "OK"

    wrapped = require_token(create_data)

    assert inspect.signature(wrapped) == inspect.signature(create_data)
    assert wrapped.__name__ == "create_data"
    assert wrapped.__qualname__ == create_data.__qualname__
    assert wrapped.__doc__ == "Create the data."
    assert wrapped.__wrapped__ is create_data  # type: ignore[attr-defined]
    assert inspect.iscoroutinefunction(wrapped)


async def test_the_wrapper_binds_as_a_method() -> None:
    class Service:
        name = "example"

        @require_token
        async def create(self, request: Request) -> str:
            return f"created by {self.name}"

    service = Service()

    assert await service.create(Request("secret")) == "created by example"
    assert await service.create(Request()) == (403, "denied")
    assert list(inspect.signature(service.create).parameters) == ["request"]


async def test_a_decorated_handler_declares_its_own_keywords_to_a_chain() -> None:
    class Service:
        @require_token
        async def create(self, request: Request) -> str:
            return "created"

    chain = compose(KeywordFilter(Service().create), [])

    assert await chain(request=Request("secret"), topic="ignored") == "created"
    assert await chain(request=Request("bad"), topic="ignored") == (403, "denied")


def test_the_decorator_keeps_the_decorator_function_name() -> None:
    assert require_token.__name__ == "require_token"  # type: ignore[attr-defined]


def test_decorating_something_that_is_not_callable_is_refused() -> None:
    with pytest.raises(MiddlewareError, match="can only decorate a callable"):
        require_token(42)  # type: ignore[call-overload]
    with pytest.raises(MiddlewareError, match="is not callable"):
        decorator(include_function=True)(42)  # type: ignore[arg-type]
