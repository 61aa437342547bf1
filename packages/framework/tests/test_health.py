"""The health endpoints: their JSON answers, their own server, and where a run puts them."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import aiohttp
import pytest
from aiohttp import web

import tomodachi
from tomodachi._health import Health, HealthServer
from tomodachi._readiness import HealthServerError


class RecordingHttpRuntime:
    def __init__(self) -> None:
        self.paths: list[str] = []

    def add_internal_route(self, path: str, endpoint: Any) -> None:
        self.paths.append(path)


def service(name: str, **health: Any) -> Any:
    instance = type(name, (), {})()
    instance.name = name
    instance.options = tomodachi.Options(
        http={"host": "127.0.0.1", "port": 0}, health={"enabled": True, **health}
    )
    return instance


async def get(port: int, path: str, method: str = "GET") -> tuple[int, Any, dict[str, str]]:
    async with (
        aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session,
        session.request(method, path) as response,
    ):
        body = await response.json() if method != "HEAD" else None
        return response.status, body, dict(response.headers)


async def test_the_endpoints_answer_json_that_says_why_it_is_not_ready() -> None:
    stop_requested = asyncio.Event()
    health = Health([(service("svc", port=0, host="127.0.0.1"), [])], stop_requested)
    await health.open()
    try:
        [server] = health.servers.values()
        status, body, headers = await get(server.port, "/health/ready")
        assert (status, body) == (
            503,
            {"status": "not ready", "reasons": ["starting: start hooks or transports are not done"]},
        )
        assert headers["Content-Type"] == "application/json"
        assert headers["Cache-Control"] == "no-store"
        health.mark_started()
        assert (await get(server.port, "/health/ready"))[:2] == (200, {"status": "ready"})
        assert (await get(server.port, "/health/live"))[:2] == (200, {"status": "alive"})
        assert (await get(server.port, "/health/live", "HEAD"))[0] == 200
        stop_requested.set()
        assert (await get(server.port, "/health/ready"))[:2] == (
            503,
            {"status": "not ready", "reasons": ["stopping: a stop was requested"]},
        )
        assert (await get(server.port, "/health/live"))[:2] == (200, {"status": "alive"})
    finally:
        await health.close()


async def test_a_health_server_answers_404_for_other_paths_and_405_for_other_methods() -> None:
    server = HealthServer("127.0.0.1", 0)

    async def ok(request: web.BaseRequest) -> web.StreamResponse:
        return web.json_response({"ok": True})

    server.routes["/ok"] = ok
    await server.start()
    try:
        assert (await get(server.port, "/other"))[:2] == (404, {"status": "not found"})
        status, body, headers = await get(server.port, "/ok", "POST")
        assert (status, body, headers["Allow"]) == (405, {"status": "method not allowed"}, "GET, HEAD")
    finally:
        await server.close()


async def test_a_service_with_an_http_runtime_gets_the_endpoints_on_it_unless_another_port_is_given() -> None:
    on_http, own_port = RecordingHttpRuntime(), RecordingHttpRuntime()
    health = Health(
        [
            (service("a", liveness_path="/livez", readiness_path="/readyz"), [("http", on_http)]),
            (service("b", port=8123), [("http", own_port)]),
        ],
        asyncio.Event(),
    )
    assert on_http.paths == ["/livez", "/readyz"]
    assert own_port.paths == []
    assert list(health.servers) == [("127.0.0.1", 8123)]


async def test_services_without_http_handlers_share_one_server_on_the_http_host_and_port() -> None:
    health = Health([(service("a"), [("amqp", object())]), (service("b"), [])], asyncio.Event())
    assert list(health.servers) == [("127.0.0.1", 0)]
    assert sorted(health.servers["127.0.0.1", 0].routes) == ["/health/live", "/health/ready"]


async def test_services_that_do_not_enable_the_endpoints_get_none() -> None:
    instance = service("off")
    instance.options.health.enabled = False
    runtime = RecordingHttpRuntime()
    health = Health([(instance, [("http", runtime)])], asyncio.Event())
    assert (runtime.paths, health.servers) == ([], {})


async def test_a_port_in_use_fails_the_opening_with_a_logged_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        health = Health([(service("svc", port=port, host="127.0.0.1"), [])], asyncio.Event())
        with pytest.raises(HealthServerError, match=f"cannot listen on 127.0.0.1:{port}"):
            await health.open()
