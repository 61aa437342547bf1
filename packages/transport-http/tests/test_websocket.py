"""Websockets: the handler's receive and close callables, frames, closing from both sides."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tomodachi_transport_http import websocket, ws
from tomodachi_transport_http.testing import TestOptions, http_specs, serve
from tomodachi_transport_http.testing import serve_client as serving


class Chat:
    options = TestOptions()

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.closed = asyncio.Event()

    @websocket(r"/chat/(?P<room>\w+)")
    async def chat(self, websocket: web.WebSocketResponse, request: web.Request, room: str) -> Any:
        await websocket.send_str(f"welcome to {room}")

        async def receive(data: str | bytes) -> None:
            self.received.append(data)
            if data == "fail":
                raise ValueError("receive failed")
            if isinstance(data, str):
                await websocket.send_str(data.upper())
            else:
                await websocket.send_bytes(data[::-1])

        async def close() -> None:
            self.closed.set()

        return receive, close

    @ws(r"/positional")
    def positional(self, socket: web.WebSocketResponse, req: web.Request) -> Any:
        async def receive(data: str) -> None:
            await socket.send_str(f"{req.path} {data}")

        return receive

    @websocket(r"/nothing")
    async def nothing(self, websocket: web.WebSocketResponse) -> None:
        await websocket.send_str("bye")
        await websocket.close()

    @websocket(r"/broken")
    async def broken(self, websocket: web.WebSocketResponse) -> None:
        raise RuntimeError("handler failed")


async def test_frames_reach_receive_and_close_is_called() -> None:
    service = Chat()
    async with serving(service) as served, served.session.ws_connect("/chat/lobby") as socket:
        assert await socket.receive_str() == "welcome to lobby"
        await socket.send_str("hello")
        assert await socket.receive_str() == "HELLO"
        await socket.send_bytes(b"abc")
        assert await socket.receive_bytes() == b"cba"
        await socket.close()
        await asyncio.wait_for(service.closed.wait(), 5)
    assert service.received == ["hello", b"abc"]


async def test_an_exception_in_receive_is_logged_and_the_socket_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    service = Chat()
    async with serving(service) as served, served.session.ws_connect("/chat/x") as socket:
        await socket.receive_str()
        await socket.send_str("fail")
        await socket.send_str("after")
        assert await socket.receive_str() == "AFTER"
    assert [r.getMessage() for r in caplog.records if r.name == "exception"] == [
        "uncaught exception: receive failed"
    ]


async def test_positional_parameters_get_websocket_then_request() -> None:
    async with serving(Chat()) as served, served.session.ws_connect("/positional") as socket:
        await socket.send_str("ping")
        assert await socket.receive_str() == "/positional ping"


async def test_the_server_may_close_and_handlers_may_return_nothing() -> None:
    async with serving(Chat()) as served, served.session.ws_connect("/nothing") as socket:
        assert await socket.receive_str() == "bye"
        message = await socket.receive()
        assert message.type == aiohttp.WSMsgType.CLOSE


async def test_a_failing_handler_closes_the_socket_with_an_error(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with serving(Chat()) as served, served.session.ws_connect("/broken") as socket:
        message = await socket.receive()
        assert message.type == aiohttp.WSMsgType.CLOSE
        assert socket.close_code == aiohttp.WSCloseCode.INTERNAL_ERROR
    states = [
        getattr(r, "websocket_state", None) for r in caplog.records if r.name == "tomodachi.http.websocket"
    ]
    assert states == ["open", "error"]


async def test_a_plain_request_on_a_websocket_route_is_400() -> None:
    async with serving(Chat()) as served, served.session.get("/chat/x") as response:
        assert response.status == 400


async def test_open_websockets_are_closed_on_stop(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    service = Chat()
    async with serve(service) as server, aiohttp.ClientSession(server.url) as session:
        socket = await session.ws_connect("/chat/x")
        await socket.receive_str()
        draining = asyncio.ensure_future(server.runtime.drain())
        message = await socket.receive()
        assert message.type == aiohttp.WSMsgType.CLOSE
        assert socket.close_code == aiohttp.WSCloseCode.GOING_AWAY
        await socket.close()
        await asyncio.wait_for(draining, 5)
    assert service.closed.is_set()
    closed = [r for r in caplog.records if getattr(r, "websocket_state", None) == "closed"]
    assert len(closed) == 1
    assert closed[0].request_path == "/chat/x"  # type: ignore[attr-defined]


def test_http_specs_records_websocket_routes_as_get() -> None:
    specs = http_specs(Chat)
    assert [(spec.kind, spec.methods) for spec in specs] == [("websocket", ("GET",))] * 4


async def test_access_log_false_leaves_out_the_closing_line(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    service = Chat()
    service.options = TestOptions(access_log=False)
    async with serving(service) as served, served.session.ws_connect("/chat/x") as socket:
        await socket.receive_str()
    await asyncio.wait_for(service.closed.wait(), 5)
    assert not [r for r in caplog.records if r.name == "tomodachi.http.response"]
