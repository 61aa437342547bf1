"""The HTTP services of examples/ run under ``tomodachi run`` and answer as their docstrings say."""

from __future__ import annotations

import json
import signal
import socket
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from tomodachi_process import Processes

RunExample = Callable[[str], str]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def run_example(processes: Processes, tmp_path: Path) -> RunExample:
    def run(name: str) -> str:
        port = free_port()
        config = tmp_path / "config.json"
        config.write_text(json.dumps({"options": {"http": {"port": port}}}))
        process = processes.start("run", "--production", "-c", str(config), name, cwd=EXAMPLES)
        process.wait_for("accepting http requests")
        return f"http://127.0.0.1:{port}"

    return run


async def test_http_service(run_example: RunExample, processes: Processes) -> None:
    url = run_example("http_service.py")
    async with aiohttp.ClientSession(url) as session:
        async with session.get("/resource/1234") as response:
            assert (response.status, await response.text()) == (200, "id = 1234")
        async with session.get("/health") as response:
            assert (response.status, await response.text()) == (200, "Healthy")
        async with session.get("/no-route") as response:
            assert (response.status, await response.text()) == (404, "error 404")
    processes.started[0].send(signal.SIGTERM)
    assert processes.started[0].wait() == 0


async def test_http_json_api(run_example: RunExample) -> None:
    url = run_example("http_json_api.py")
    async with aiohttp.ClientSession(url) as session:
        async with session.get("/") as response:
            body = await response.json()
            assert body["data"] == "hello world!"
            context = body["execution_context"]
            assert (context["http_enabled"], context["http_current_tasks"], context["http_total_tasks"]) == (
                True,
                1,
                1,
            )
        async with session.get("/health") as response:
            assert response.headers["Content-Type"] == "application/json; charset=utf-8"
            assert response.headers["Keep-Alive"] == "timeout=5, max=20"
            assert await response.json() == {"status": "healthy"}
        async with session.delete("/") as response:
            assert (response.status, await response.json()) == (405, {"error": "method-not-allowed"})


async def test_http_static(run_example: RunExample) -> None:
    url = run_example("http_static.py")
    async with aiohttp.ClientSession(url) as session:
        async with session.get("/") as response:
            assert "Hello from a static file" in await response.text()
        async with session.get("/static/%2e%2e/http_static.py") as response:
            assert response.status == 404


async def test_http_middleware(run_example: RunExample) -> None:
    url = run_example("http_middleware.py")
    async with aiohttp.ClientSession(url) as session:
        async with session.get("/") as response:
            assert (response.status, await response.json()) == (401, {"status": "auth required"})
        headers = {"Authorization": "Basic ZXhhbXBsZTpleGFtcGxl", "traceparent": "abc"}  # example:example
        async with session.get("/", headers=headers) as response:
            assert await response.json() == {"user": "example", "traceid": "abc"}


async def test_http_websocket(run_example: RunExample) -> None:
    url = run_example("http_websocket.py")
    async with aiohttp.ClientSession(url) as session, session.ws_connect("/echo") as websocket:
        assert await websocket.receive_str() == "connected"
        await websocket.send_str("hi")
        assert await websocket.receive_str() == "echo: hi"
