"""The runtime over real sockets: routes, return forms, errors, options, stop."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tomodachi_transport_http import (
    TRANSPORT,
    HttpBindError,
    HttpConfigurationError,
    HttpResponse,
    http,
    http_error,
)
from tomodachi_transport_http.testing import TestOptions as Options
from tomodachi_transport_http.testing import http_specs as specs_of
from tomodachi_transport_http.testing import serve_client as serving


class Routes:
    options = Options()

    @http("GET", r"/resource/(?P<id>[^/]+?)/?")
    async def resource(self, request: web.Request, id: str) -> str:
        return f"id = {id}"

    @http("GET", r"^/anchored$")
    async def anchored(self, request: web.Request) -> str:
        return "anchored"

    @http(["POST", "put"], r"/items")
    async def items(self, request: web.Request) -> tuple[int, str]:
        return 201, f"{request.method} {await request.text()}"

    @http("GET", r"/items")
    async def list_items(self, req: web.Request) -> str:
        return f"positional {req.method}"

    @http("GET", r"/sync")
    def sync(self) -> str:
        return "sync"

    @http("GET", r"/unnamed/(\d+)")
    async def unnamed(self, request: web.Request) -> str:
        return "unnamed"

    @http("GET", r"/match-info/(?P<first>\w+)/(?P<second>\w+)")
    async def match_info(self, request: web.Request) -> str:
        return f"{request.match_info['first']} {request.match_info['second']}"


async def test_named_groups_are_passed_as_keywords() -> None:
    async with serving(Routes()) as served, served.session.get("/resource/1234") as response:
        assert response.status == 200
        assert await response.text() == "id = 1234"
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert response.headers["Server"] == "tomodachi"


async def test_patterns_are_anchored_at_both_ends() -> None:
    async with serving(Routes()) as served:
        for path, status in [
            ("/anchored", 200),
            ("/anchored/", 404),
            ("/x/anchored", 404),
            ("/resource/1/", 200),
        ]:
            async with served.session.get(path) as response:
                assert response.status == status, path


async def test_get_routes_answer_head_without_a_body() -> None:
    async with serving(Routes()) as served, served.session.head("/resource/1") as response:
        assert response.status == 200
        assert response.headers["Content-Length"] == "6"
        assert await response.read() == b""


async def test_several_methods_on_one_path() -> None:
    async with serving(Routes()) as served:
        async with served.session.post("/items", data="a") as response:
            assert (response.status, await response.text()) == (201, "POST a")
        async with served.session.put("/items", data="b") as response:
            assert (response.status, await response.text()) == (201, "PUT b")
        async with served.session.get("/items") as response:
            assert await response.text() == "positional GET"


async def test_an_unknown_method_on_a_known_path_is_405_with_allow() -> None:
    async with serving(Routes()) as served:
        async with served.session.delete("/items") as response:
            assert response.status == 405
            assert response.headers["Allow"] == "GET,HEAD,POST,PUT"
            assert await response.text() == "Method Not Allowed"
        async with served.session.options("/resource/1") as response:
            assert response.status == 405
            assert response.headers["Allow"] == "GET,HEAD"


async def test_an_unknown_path_is_404() -> None:
    async with serving(Routes()) as served, served.session.get("/nowhere") as response:
        assert response.status == 404
        assert await response.text() == "Not Found"


async def test_request_match_info_holds_the_named_groups() -> None:
    async with serving(Routes()) as served, served.session.get("/match-info/a/b") as response:
        assert await response.text() == "a b"


async def test_sync_handlers_and_unnamed_groups() -> None:
    async with serving(Routes()) as served:
        async with served.session.get("/sync") as response:
            assert await response.text() == "sync"
        async with served.session.get("/unnamed/12") as response:
            assert await response.text() == "unnamed"


class ReturnForms:
    options = Options(content_type="application/json; charset=utf-8")

    @http("GET", r"/str")
    async def text(self) -> str:
        return "é"

    @http("GET", r"/bytes")
    async def raw(self) -> bytes:
        return b"\x00\x01"

    @http("GET", r"/none")
    async def nothing(self) -> None:
        return None

    @http("GET", r"/dict")
    async def mapping(self) -> dict[str, Any]:
        return {"body": "créé", "status": "201", "headers": {"Content-Type": "text/plain; charset=latin-1"}}

    @http("GET", r"/dict-empty")
    async def mapping_empty(self) -> dict[str, Any]:
        return {"status": 204}

    @http("GET", r"/tuple")
    async def pair(self) -> tuple[int, str, list[tuple[str, str]]]:
        return 202, "accepted", [("X-Extra", "1")]

    @http("GET", r"/response")
    async def response(self) -> HttpResponse:
        return HttpResponse(body="é", status=200, content_type="text/html", charset="latin-1")

    @http("GET", r"/response-default")
    async def response_default(self) -> HttpResponse:
        return HttpResponse(body="plain", status=418)

    @http("GET", r"/response-unencodable")
    async def response_unencodable(self) -> HttpResponse:
        return HttpResponse(body="€", content_type="text/plain", charset="latin-1")

    @http("GET", r"/aiohttp")
    async def aiohttp_response(self) -> web.Response:
        return web.json_response({"a": 1})


class Streaming:
    options = Options()

    @http("GET", r"/stream")
    async def stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        await response.prepare(request)
        for part in (b"one ", b"two"):
            await response.write(part)
        await response.write_eof()
        return response


async def test_a_streamed_response_is_sent_as_the_handler_wrote_it() -> None:
    async with serving(Streaming()) as served, served.session.get("/stream") as response:
        assert response.status == 200
        assert await response.read() == b"one two"


async def test_return_forms() -> None:
    expected = {
        "/str": (200, "application/json; charset=utf-8", "é".encode()),
        "/bytes": (200, "application/json; charset=utf-8", b"\x00\x01"),
        "/none": (200, "application/json; charset=utf-8", b""),
        "/dict": (201, "text/plain; charset=latin-1", "créé".encode("latin-1")),
        "/tuple": (202, "application/json; charset=utf-8", b"accepted"),
        "/response": (200, "text/html; charset=latin-1", b"\xe9"),
        "/response-default": (418, "application/json; charset=utf-8", b"plain"),
        "/aiohttp": (200, "application/json; charset=utf-8", b'{"a": 1}'),
    }
    async with serving(ReturnForms()) as served:
        for path, (status, content_type, body) in expected.items():
            async with served.session.get(path) as response:
                assert response.status == status, path
                assert response.headers["Content-Type"] == content_type, path
                assert await response.read() == body, path
                assert response.headers["Server"] == "tomodachi"
        async with served.session.get("/tuple") as response:
            assert response.headers["X-Extra"] == "1"
        async with served.session.get("/dict-empty") as response:
            assert response.status == 204


async def test_a_body_the_charset_cannot_encode_is_a_500(caplog: pytest.LogCaptureFixture) -> None:
    async with serving(ReturnForms()) as served, served.session.get("/response-unencodable") as response:
        assert response.status == 500
    assert [r.name for r in caplog.records if r.levelno >= logging.ERROR] == ["exception"]


class Failing:
    options = Options(server_header="edge")

    @http("GET", r"/boom")
    async def boom(self) -> str:
        raise RuntimeError("boom")

    @http("GET", r"/forbidden")
    async def forbidden(self) -> str:
        raise web.HTTPForbidden()

    @http("GET", r"/teapot")
    async def teapot(self) -> str:
        raise web.HTTPBadRequest(text="nope")


async def test_an_exception_is_a_500_with_one_exception_line(caplog: pytest.LogCaptureFixture) -> None:
    async with serving(Failing()) as served:
        async with served.session.get("/boom") as response:
            assert response.status == 500
            assert await response.read() == b""
            assert response.headers["Server"] == "edge"
        async with served.session.get("/boom") as response:  # the server goes on
            assert response.status == 500
    lines = [r for r in caplog.records if r.name == "exception"]
    assert len(lines) == 2
    assert lines[0].getMessage() == "uncaught exception: boom"
    assert lines[0].exc_info is not None


async def test_a_raised_http_exception_is_its_response() -> None:
    async with serving(Failing()) as served:
        async with served.session.get("/forbidden") as response:
            assert response.status == 403
            assert await response.text() == "Forbidden"
            assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        async with served.session.get("/teapot") as response:
            assert response.status == 400
            assert await response.text() == "nope"


class ErrorHandlers:
    options = Options()

    @http("GET", r"/boom")
    async def boom(self) -> str:
        raise RuntimeError("boom")

    @http("GET", r"/forbidden")
    async def forbidden(self) -> str:
        raise web.HTTPForbidden()

    @http("POST", r"/only-post")
    async def only_post(self) -> str:
        return "ok"

    @http_error(status_code=404)
    async def error_404(self, request: web.Request, status_code: int) -> str:
        return f"custom {status_code} {request.path}"

    @http_error(status_code=405)
    async def error_405(self, request: web.Request) -> dict[str, Any]:
        return {"body": "no such method"}

    @http_error(status_code=403)
    async def error_403(self, request: web.Request) -> str:
        raise ValueError("broken error handler")

    @http_error(status_code=500)
    async def error_500(self, status_code: int) -> tuple[int, str]:
        return status_code, "custom 500"


async def test_error_handlers_answer_routing_errors() -> None:
    async with serving(ErrorHandlers()) as served:
        async with served.session.get("/missing") as response:
            assert (response.status, await response.text()) == (404, "custom 404 /missing")
        async with served.session.get("/only-post") as response:
            assert (response.status, await response.text()) == (405, "no such method")
            assert response.headers["Allow"] == "POST"


async def test_error_handlers_answer_exceptions(caplog: pytest.LogCaptureFixture) -> None:
    async with serving(ErrorHandlers()) as served:
        async with served.session.get("/boom") as response:
            assert (response.status, await response.text()) == (500, "custom 500")
        async with served.session.get("/forbidden") as response:  # its handler raises: the 500 one answers
            assert (response.status, await response.text()) == (500, "custom 500")
    assert [r.getMessage() for r in caplog.records if r.name == "exception"] == [
        "uncaught exception: boom",
        "uncaught exception: broken error handler",
    ]


class Bodies:
    options = Options(client_max_size=2048)

    @http("POST", r"/echo")
    async def echo(self, request: web.Request) -> bytes:
        return await request.read()

    @http("POST", r"/ignore")
    async def ignore(self, request: web.Request) -> str:
        return "not read"

    @http("POST", r"/upload")
    async def upload(self, request: web.Request) -> str:
        reader = await request.multipart()
        names = []
        async for part in reader:
            assert isinstance(part, aiohttp.BodyPartReader)
            names.append(f"{part.name}={len(await part.read())}")
        return ",".join(names)


async def test_a_body_over_client_max_size_is_413() -> None:
    async with serving(Bodies()) as served:
        async with served.session.post("/echo", data=b"x" * 4096) as response:
            assert response.status == 413
        async with served.session.post("/ignore", data=b"x" * 4096) as response:
            assert response.status == 413

        async def chunks() -> Any:
            for _ in range(4):
                yield b"x" * 1024

        async with served.session.post("/echo", data=chunks()) as response:  # no Content-Length
            assert response.status == 413
        async with served.session.post("/echo", data=b"x" * 2048) as response:
            assert response.status == 200
            assert len(await response.read()) == 2048


async def test_a_client_that_expects_100_continue_is_told_to_send_its_body() -> None:
    async with serving(Bodies()) as served:
        reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
        try:
            writer.write(
                b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
            )
            assert await reader.readuntil(b"\r\n\r\n") == b"HTTP/1.1 100 Continue\r\n\r\n"
            writer.write(b"hello")
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 OK")
            assert await reader.readexactly(5) == b"hello"
        finally:
            writer.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
        try:  # too large: refused at once, without asking for the body
            writer.write(
                b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9999\r\nExpect: 100-continue\r\n\r\n"
            )
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            assert head.startswith(b"HTTP/1.1 413 Request Entity Too Large\r\n")
        finally:
            writer.close()


async def test_multipart_uploads_reach_the_handler_unread() -> None:
    form = aiohttp.FormData()
    form.add_field("file", b"a" * 1000, filename="a.bin")
    form.add_field("name", "value")
    async with serving(Bodies()) as served, served.session.post("/upload", data=form) as response:
        assert await response.text() == "file=1000,name=5"


async def test_malformed_requests_are_400_and_the_server_goes_on() -> None:
    async with serving(Routes()) as served:
        reply = await served.raw(b"GARBAGE\r\n\r\n")
        assert reply.startswith(b"HTTP/1.0 400 Bad Request\r\n")
        assert b"\r\nServer: tomodachi\r\n" in reply
        reply = await served.raw(b"GET /resource/1 HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
        assert reply.startswith(b"HTTP/1.0 400 Bad Request\r\n")
        async with served.session.get("/resource/1") as response:
            assert response.status == 200


class KeepAlive:
    options = Options(keepalive_timeout=5, max_keepalive_requests=3)

    @http("GET", r"/")
    async def index(self) -> str:
        return "ok"


async def test_without_keepalive_every_response_closes_the_connection() -> None:
    async with serving(Routes()) as served:
        reply = await served.raw(b"GET /sync HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b"\r\nConnection: close\r\n" in reply


async def test_keepalive_answers_with_its_timeout_and_max() -> None:
    async with serving(KeepAlive()) as served:
        reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
        try:
            replies = []
            for _ in range(3):
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                head = await reader.readuntil(b"\r\n\r\n")
                await reader.readexactly(2)
                replies.append(head)
            assert b"Connection: keep-alive" in replies[0]
            assert b"Keep-Alive: timeout=5, max=3" in replies[0]
            assert b"Connection: close" in replies[2]
            assert await reader.read() == b""  # closed by the server after the third
        finally:
            writer.close()


async def test_keepalive_ends_after_max_keepalive_time() -> None:
    class Service:
        options = Options(keepalive_timeout=5, max_keepalive_time=1)

        @http("GET", r"/")
        async def index(self) -> str:
            return "ok"

    async with serving(Service()) as served:
        reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert b"Connection: keep-alive" in await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(2)
            await asyncio.sleep(1.1)
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert b"Connection: close" in await reader.readuntil(b"\r\n\r\n")
            await reader.readexactly(2)
            assert await reader.read() == b""
        finally:
            writer.close()
        assert served.server.runtime.total_requests == 2
        assert served.server.runtime.active_requests == 0


async def test_max_keepalive_options_without_keepalive_are_refused() -> None:
    class Service:
        options = Options(max_keepalive_requests=3)

    runtime = TRANSPORT.create_runtime(Service(), [])
    with pytest.raises(HttpConfigurationError, match="keepalive_timeout"):
        await runtime.start()
    await runtime.drain()
    await runtime.close()


async def test_a_port_in_use_is_a_clear_error(caplog: pytest.LogCaptureFixture) -> None:
    async with serving(Routes()) as served:

        class Second:
            options = Options(port=served.port, reuse_port=False)

        runtime = TRANSPORT.create_runtime(Second(), specs_of(Routes))
        with pytest.raises(HttpBindError, match=f"unable to bind service \\[http\\] to .*:{served.port}/"):
            await runtime.start()
        await runtime.close()
    assert any("unable to bind" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


async def test_drain_and_close_are_safe_without_start() -> None:
    runtime = TRANSPORT.create_runtime(Routes(), specs_of(Routes))
    await runtime.consume()
    await runtime.drain()
    await runtime.close()


class Slow:
    options = Options(keepalive_timeout=5)

    def __init__(self) -> None:
        self.started = asyncio.Event()

    @http("GET", r"/slow")
    async def slow(self) -> str:
        self.started.set()
        await asyncio.sleep(0.5)
        return "done"


async def test_drain_lets_requests_in_flight_finish_and_refuses_new_connections() -> None:
    service = Slow()
    runtime = TRANSPORT.create_runtime(service, specs_of(Slow))
    await runtime.start()
    async with aiohttp.ClientSession(f"http://127.0.0.1:{runtime.port}") as session:
        requests = [asyncio.ensure_future(session.get("/slow")) for _ in range(3)]
        await service.started.wait()
        await asyncio.sleep(0.05)
        draining = asyncio.ensure_future(runtime.drain())
        await asyncio.sleep(0.05)
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", runtime.port)
        responses = await asyncio.gather(*requests)
        assert [r.status for r in responses] == [200, 200, 200]
        assert [await r.text() for r in responses] == ["done"] * 3
        await draining
    await runtime.close()
