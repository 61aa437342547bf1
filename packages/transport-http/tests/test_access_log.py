"""The access log: one line per request with its fields, ignore_logging, 499, the file."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from tomodachi_transport_http import TRANSPORT, HttpAccessLogError, http
from tomodachi_transport_http._access_log import auth_user
from tomodachi_transport_http.testing import TestOptions, http_specs, serve
from tomodachi_transport_http.testing import serve_client as serving


class Service:
    options = TestOptions(real_ip_from="127.0.0.1")

    def __init__(self) -> None:
        self.finished = asyncio.Event()
        self.started = asyncio.Event()

    @http("POST", r"/items")
    async def items(self, request: web.Request) -> str:
        return f"read {len(await request.read())}"

    @http("GET", r"/health", ignore_logging=True)
    async def health(self, request: web.Request) -> str:
        if request.query.get("fail"):
            raise RuntimeError("unhealthy")
        return "ok"

    @http("GET", r"/maybe/(?P<status>\d+)", ignore_logging=[200])
    async def maybe(self, status: str) -> tuple[int, str]:
        return int(status), ""

    @http("GET", r"/slow")
    async def slow(self) -> str:
        self.started.set()
        await asyncio.sleep(0.3)
        self.finished.set()
        return "late"

    @http("POST", r"/upload")
    async def upload(self, request: web.Request) -> str:
        self.started.set()
        try:
            return str(len(await request.read()))
        finally:
            self.finished.set()


def access_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    standard = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
    return [
        {k: v for k, v in r.__dict__.items() if k not in standard}
        for r in caplog.records
        if r.name == "tomodachi.http.response"
    ]


async def test_one_line_per_request_with_its_fields(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with serving(Service()) as served:
        headers = {"X-Forwarded-For": "9.9.9.9", "Authorization": "Basic dXNlcjpwYXNz", "User-Agent": "test"}
        async with served.session.post("/items?a=1", data=b"12345", headers=headers) as response:
            assert await response.text() == "read 5"
    [line] = access_lines(caplog)
    assert list(line) == [
        "status_code",
        "remote_ip",
        "auth_user",
        "request_method",
        "request_path",
        "request_query_string",
        "http_version",
        "response_content_length",
        "request_content_length",
        "request_content_read_length",
        "user_agent",
        "handler_elapsed_time",
        "request_time",
    ]
    assert line["status_code"] == 200
    assert line["remote_ip"] == "9.9.9.9"
    assert line["auth_user"] == "user"
    assert (line["request_method"], line["request_path"], line["request_query_string"]) == (
        "POST",
        "/items",
        "a=1",
    )
    assert line["http_version"] == "HTTP/1.1"
    assert (line["response_content_length"], line["request_content_length"]) == (6, 5)
    assert line["request_time"].endswith("s")
    assert [r.getMessage() for r in caplog.records if r.name == "tomodachi.http.response"] == [""]


async def test_ignore_logging(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with serving(Service()) as served:
        for path in ("/health", "/maybe/200", "/maybe/404"):
            async with served.session.get(path) as response:
                await response.read()
    assert [(line["request_path"], line["status_code"]) for line in access_lines(caplog)] == [
        ("/maybe/404", 404)
    ]


async def test_access_log_false_writes_no_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    service = Service()
    service.options = TestOptions(access_log=False)
    async with serving(service) as served, served.session.get("/maybe/200") as response:
        assert response.status == 200
    assert access_lines(caplog) == []


async def test_a_client_that_goes_away_is_logged_as_499(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    service = Service()
    async with serve(service) as server:
        _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        await service.started.wait()
        writer.close()
        await service.finished.wait()
        await asyncio.sleep(0.05)
        async with aiohttp.ClientSession(server.url) as session, session.get("/maybe/200") as response:
            assert response.status == 200  # the server goes on
    [line] = access_lines(caplog)
    assert (line["status_code"], line["replaced_status_code"], line["request_path"]) == (499, 200, "/slow")
    assert line["replaced_response_content_length"] == 4
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_client_that_goes_away_while_sending_the_body_is_logged_as_499(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    service = Service()
    async with serve(service) as server:
        _reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + b"x" * 10)
        await writer.drain()
        await service.started.wait()
        writer.close()
        await asyncio.wait_for(service.finished.wait(), 5)
        await asyncio.sleep(0.05)
        async with aiohttp.ClientSession(server.url) as session, session.get("/maybe/200") as response:
            assert response.status == 200
    [line] = access_lines(caplog)
    assert (line["status_code"], line["request_path"]) == (499, "/upload")
    assert "connection closed before body was sent" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_access_log_file_gets_json_lines(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    path = tmp_path / "access.log"
    service = Service()
    service.options = TestOptions(access_log=str(path))
    async with (
        serve(service) as server,
        aiohttp.ClientSession(server.url) as session,
        session.get("/maybe/201") as response,
    ):
        assert response.status == 201
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [line["message"] for line in lines] == ["accepting http requests", ""]
    assert lines[1]["status_code"] == 201
    assert lines[1]["request_path"] == "/maybe/201"
    assert lines[1]["logger"] == "tomodachi.http.response"


async def test_an_access_log_file_that_cannot_be_opened_stops_the_start(tmp_path: Path) -> None:
    service = Service()
    service.options = TestOptions(access_log=str(tmp_path / "missing" / "access.log"))
    runtime = TRANSPORT.create_runtime(service, http_specs(Service))
    with pytest.raises(HttpAccessLogError, match="access log file"):
        await runtime.start()
    await runtime.close()


def test_auth_user_reads_basic_credentials_only() -> None:
    def request(value: str) -> Any:
        class Request:
            def __init__(self) -> None:
                self.headers = {"Authorization": value}

        return Request()

    assert auth_user(request("Basic dXNlcjpwYXNz")) == "user"
    assert auth_user(request("Bearer abc")) is None
    assert auth_user(request("Basic !!!")) is None
