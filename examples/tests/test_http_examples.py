"""Tests of the HTTP examples with the tomodachi pytest plugin: no port is fixed, no process started."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from tomodachi.testing import ServiceUnderTest

EXAMPLES = Path(__file__).parent.parent

StartService = Callable[..., Awaitable[ServiceUnderTest]]


async def test_the_resource_route_answers_with_the_id_from_the_path(tomodachi_service: StartService) -> None:
    service = await tomodachi_service(str(EXAMPLES / "http_service.py"))
    response = await service.http.get("/resource/1234")
    assert response.status == 200
    assert await response.text() == "id = 1234"


async def test_an_unknown_path_gets_the_custom_404(tomodachi_service: StartService) -> None:
    service = await tomodachi_service(str(EXAMPLES / "http_service.py"))
    response = await service.http.get("/no-route")
    assert response.status == 404
    assert await response.text() == "error 404"


async def test_the_websocket_echoes_and_the_close_is_logged(tomodachi_service: StartService) -> None:
    service = await tomodachi_service(str(EXAMPLES / "http_websocket.py"))
    async with service.http.ws_connect("/echo") as websocket:
        assert await websocket.receive_str() == "connected"
        await websocket.send_str("hi")
        assert await websocket.receive_str() == "echo: hi"
    await service.stop()
    assert service.logs.first("websocket closed").fields["path"] == "/echo"
