"""Internal routes: a framework's own endpoints on a service's HTTP server, ahead of its routes."""

from __future__ import annotations

import logging

import aiohttp
import pytest
from aiohttp import web

from tomodachi_transport_http import TRANSPORT, http
from tomodachi_transport_http.testing import TestOptions as Options
from tomodachi_transport_http.testing import http_specs as specs_of


class Catchall:
    options = Options()
    calls = 0

    @http("GET", r"/.*")
    async def everything(self, request: web.Request) -> str:
        Catchall.calls += 1
        return "service"


async def probe(request: web.BaseRequest) -> web.StreamResponse:
    return web.json_response({"probed": request.path})


async def test_an_internal_route_answers_before_the_services_routes_and_only_its_exact_path(
    caplog: pytest.LogCaptureFixture,
) -> None:
    runtime = TRANSPORT.create_runtime(Catchall(), specs_of(Catchall))
    runtime.add_internal_route("/internal/probe", probe)
    await runtime.start()
    try:
        caplog.set_level(logging.INFO, "tomodachi.http.response")
        async with aiohttp.ClientSession(f"http://127.0.0.1:{runtime.port}") as session:
            async with session.get("/internal/probe") as response:
                assert (response.status, await response.json()) == (200, {"probed": "/internal/probe"})
            async with session.head("/internal/probe") as response:
                assert response.status == 200
            async with session.get("/internal/probe/more") as response:
                assert await response.text() == "service"
            async with session.post("/internal/probe") as response:
                assert response.status == 405
    finally:
        await runtime.drain()
        await runtime.close()
    assert Catchall.calls == 1
    logged = [
        (record.__dict__.get("request_path"), record.__dict__.get("status_code")) for record in caplog.records
    ]
    # What the internal route answers stays out of the access log; the 405 of no route does not.
    assert logged == [("/internal/probe/more", 200), ("/internal/probe", 405)]
