"""``tomodachi run`` with an HTTP service: requests, logs, graceful stop and start failures."""

from __future__ import annotations

import asyncio
import json
import signal
import socket

import aiohttp
from tomodachi_process import Processes, TomodachiProcess


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(processes: Processes, *args: str) -> tuple[TomodachiProcess, str]:
    port = free_port()
    process = processes.start("run", "--production", *args, "http_api.py", env={"HTTP_PORT": str(port)})
    process.wait_for("accepting http requests")
    return process, f"http://127.0.0.1:{port}"


async def test_the_service_answers_over_http(processes: Processes) -> None:
    process, url = start(processes, "--logger", "json")
    async with aiohttp.ClientSession(url) as session:
        async with session.get("/resource/1234") as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "application/json; charset=utf-8"
            assert response.headers["Server"] == "tomodachi"
            assert await response.json() == {"id": "1234"}
        async with session.get("/no-route") as response:
            assert response.status == 404
            assert await response.json() == {"error": "not-found"}
        async with session.get("/health") as response:
            assert response.status == 200
        async with session.post("/echo", data=b"x" * 5000) as response:
            assert response.status == 413
    process.send(signal.SIGTERM)
    assert process.wait() == 0
    records = [json.loads(line) for line in process.stderr.splitlines() if line.startswith("{")]
    accepting = next(r for r in records if r["message"] == "accepting http requests")
    assert (accepting["logger"], accepting["listen_host"]) == ("tomodachi.http", "127.0.0.1")
    access = [r for r in records if r["logger"] == "tomodachi.http.response"]
    assert [(r["request_path"], r["status_code"]) for r in access] == [
        ("/resource/1234", 200),
        ("/no-route", 404),
        ("/echo", 413),
    ]
    assert access[0]["remote_ip"] == "127.0.0.1"
    assert access[0]["request_method"] == "GET"
    assert access[0]["response_content_length"] == len('{"id": "1234"}')
    assert access[0]["request_time"].endswith("s")


async def test_sigterm_lets_every_request_in_flight_complete(processes: Processes) -> None:
    process, url = start(processes)
    async with aiohttp.ClientSession(url) as session:

        async def fetch(n: int) -> tuple[int, object]:
            async with session.get(f"/slow/{n}") as response:
                return response.status, await response.json()

        requests = [asyncio.ensure_future(fetch(n)) for n in range(5)]
        for n in range(5):
            await asyncio.to_thread(process.wait_for, f"slow started {n}")
        process.send(signal.SIGTERM)
        await asyncio.to_thread(process.wait_for, "awaiting requests to complete")
        results = await asyncio.gather(*requests)
    assert results == [(200, {"slow": n}) for n in range(5)]
    assert await asyncio.to_thread(process.wait) == 0
    assert "terminated service" in process.stderr


async def test_new_connections_are_refused_while_stopping(processes: Processes) -> None:
    process, url = start(processes)
    async with aiohttp.ClientSession(url) as session:
        pending = asyncio.ensure_future(session.get("/slow/1"))
        await asyncio.to_thread(process.wait_for, "slow started 1")
        process.send(signal.SIGTERM)
        await asyncio.to_thread(process.wait_for, "awaiting requests to complete")
        port = int(url.rsplit(":", 1)[1])
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except ConnectionRefusedError:
            refused = True
        else:
            writer.close()
            refused = False
        response = await pending
        assert response.status == 200
        response.release()
    assert refused
    assert await asyncio.to_thread(process.wait) == 0


def test_a_port_in_use_stops_the_service_with_exit_code_1(processes: Processes) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = processes.run("run", "--production", "http_api.py", env={"HTTP_PORT": str(port)})
    assert process.process.returncode == 1
    assert f"unable to bind service [http] to http://127.0.0.1:{port}/" in process.stderr
    assert "accepting http requests" not in process.stderr


async def test_two_processes_share_a_port_with_reuse_port(processes: Processes) -> None:
    port = free_port()
    env = {"HTTP_PORT": str(port)}
    first = processes.start("run", "--production", "--logger", "json", "http_api.py", env=env)
    second = processes.start("run", "--production", "--logger", "json", "http_api.py", env=env)
    for process in (first, second):
        process.wait_for("accepting http requests")
    async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as session:
        for _ in range(40):
            async with session.get("/resource/1") as response:
                assert response.status == 200
    for process in (first, second):
        process.send(signal.SIGTERM)
    assert [first.wait(), second.wait()] == [0, 0]
    served = [process.stderr.count('"request_path": "/resource/1"') for process in (first, second)]
    assert sum(served) == 40
    assert all(served), served  # the kernel spread the connections over both
