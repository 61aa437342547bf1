"""Handler arguments and http_middleware: keywords by name, short circuits, added keywords."""

from __future__ import annotations

import base64
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import pytest
from aiohttp import web

from tomodachi_middleware import decorator, handler_context
from tomodachi_transport_http import http, http_error, http_static
from tomodachi_transport_http.testing import TestOptions
from tomodachi_transport_http.testing import serve_client as serving

calls: list[str] = []


class BasicAuth:
    def __init__(self, username: str, password: str) -> None:
        self.valid = base64.b64encode(f"{username}:{password}".encode()).decode()

    async def __call__(self, func: Callable[..., Awaitable[Any]], *, request: web.Request) -> Any:
        auth = request.headers.get("Authorization", "")
        credentials = auth.split()[-1] if auth.startswith("Basic ") else ""
        if credentials == self.valid:
            return await func(username=base64.b64decode(credentials).decode().split(":")[0])
        return web.json_response({"status": "auth required"}, status=401)


async def outer(func: Callable[..., Awaitable[Any]], service: Any, request: web.Request) -> Any:
    calls.append(f"outer {request.path}")
    result = await func(request="overridden", traceid="t-1")
    calls.append("outer done")
    return result


async def failing(func: Callable[..., Awaitable[Any]], *, request: web.Request) -> Any:
    if request.path == "/fail-in-middleware":
        raise RuntimeError("middleware failed")
    return await func()


@decorator
async def require_header(service: Any, request: web.Request) -> Any:
    if "X-Token" not in request.headers:
        return 403, "token required"
    return None


async def pre_handler(service: Any, request: web.Request) -> None:
    calls.append(f"pre {request.path}")


class Service:
    options = TestOptions()
    http_middleware: ClassVar[list[Any]] = [outer, failing, BasicAuth("example", "secret")]

    @http("GET", r"/", pre_handler_func=pre_handler)
    async def index(self, request: web.Request, username: str, traceid: str) -> str:
        assert isinstance(request, web.BaseRequest)
        calls.append("handler")
        return f"{username} {traceid}"

    @http("GET", r"/kwargs/(?P<id>\d+)")
    async def kwargs(self, **kwargs: Any) -> str:
        return ",".join(sorted(kwargs))

    @http("GET", r"/decorated")
    @require_header
    async def decorated(self, request: web.Request) -> str:
        return "allowed"

    @http("GET", r"/fail-in-middleware")
    async def never(self) -> str:
        return "unreachable"

    @http_error(status_code=404)
    async def not_found(self, request: web.Request, status_code: int, username: str = "") -> str:
        return f"{status_code} for {username}"

    @http_static("../tests", r"/files/")
    async def files(self) -> None: ...


AUTH = {"Authorization": "Basic " + base64.b64encode(b"example:secret").decode()}


async def test_middlewares_wrap_handlers_in_order_and_add_keywords() -> None:
    calls.clear()
    async with serving(Service()) as served, served.session.get("/", headers=AUTH) as response:
        assert await response.text() == "example t-1"
    assert calls == ["outer /", "pre /", "handler", "outer done"]


async def test_a_middleware_may_answer_instead_of_the_handler() -> None:
    async with serving(Service()) as served, served.session.get("/") as response:
        assert response.status == 401
        assert await response.json() == {"status": "auth required"}


async def test_error_handlers_run_through_the_middlewares() -> None:
    async with serving(Service()) as served, served.session.get("/missing", headers=AUTH) as response:
        assert response.status == 404
        assert await response.text() == "404 for example"


async def test_static_files_skip_the_middlewares() -> None:
    async with serving(Service()) as served, served.session.get("/files/test_invoke.py") as response:
        assert response.status == 200


async def test_handlers_with_kwargs_get_every_keyword() -> None:
    async with serving(Service()) as served, served.session.get("/kwargs/5", headers=AUTH) as response:
        assert await response.text() == "id,request,traceid,username"


async def test_decorators_may_answer_instead_of_the_handler() -> None:
    async with serving(Service()) as served:
        async with served.session.get("/decorated", headers=AUTH) as response:
            assert (response.status, await response.text()) == (403, "token required")
        async with served.session.get("/decorated", headers={**AUTH, "X-Token": "1"}) as response:
            assert (response.status, await response.text()) == (200, "allowed")


async def test_an_exception_in_a_middleware_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    async with serving(Service()) as served, served.session.get("/fail-in-middleware") as response:
        assert response.status == 500
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "uncaught exception: middleware failed"
    ]


class Contexts:
    options = TestOptions()

    @http("GET", r"/handler")
    async def named(self) -> str:
        return repr(handler_context())

    @http("GET", r"/fail")
    async def fail(self) -> str:
        raise web.HTTPForbidden()

    @http_error(status_code=403)
    async def forbidden(self) -> str:
        return repr(handler_context())


async def test_handlers_run_with_their_logger_name_in_the_handler_context() -> None:
    async with serving(Contexts()) as served:
        async with served.session.get("/handler") as response:
            assert await response.text() == repr(
                ("tomodachi.http.handler", {"handler": "named", "type": "tomodachi.http"})
            )
        async with served.session.get("/fail") as response:
            assert await response.text() == repr(
                (
                    "tomodachi.http.handler",
                    {"handler": "forbidden", "type": "tomodachi.http_error", "status_code": 403},
                )
            )
        assert (served.server.runtime.current_tasks, served.server.runtime.total_tasks) == (0, 2)
