"""Health endpoints of services run in-process by tomodachi.testing."""

from __future__ import annotations

import aiohttp
import pytest

import tomodachi
from tomodachi.testing import run_service


class WithHttp(tomodachi.Service):
    name = "with-http"
    options = tomodachi.Options(health=tomodachi.Options.Health(enabled=True))

    @tomodachi.http("GET", r"/hello")
    async def hello(self, request: object) -> str:
        return "hello"


class Scheduled(tomodachi.Service):
    name = "scheduled"
    options = tomodachi.Options(health={"enabled": True})

    @tomodachi.schedule(interval=3600)
    async def tick(self) -> None:
        pass


class NoHealth(tomodachi.Service):
    name = "no-health"

    @tomodachi.http("GET", r"/hello")
    async def hello(self, request: object) -> str:
        return "hello"


async def test_the_endpoints_are_on_the_http_server_of_a_service_with_http_handlers() -> None:
    async with run_service(WithHttp) as service:
        assert service.health_url == service.url
        ready = await service.http.get("/health/ready")
        live = await service.http.get("/health/live")
        assert (ready.status, await ready.json()) == (200, {"status": "ready"})
        assert live.status == 200


async def test_a_service_without_http_handlers_gets_a_health_server_on_a_free_port() -> None:
    async with run_service(Scheduled) as service:
        url = service.health_url
        assert not url.endswith(":0")
        async with aiohttp.ClientSession() as session, session.get(f"{url}/health/ready") as response:
            assert response.status == 200
    with pytest.raises(LookupError, match="health"):
        _ = service.health_url
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"{url}/health/ready")


async def test_health_url_names_the_option_when_no_service_enables_it() -> None:
    async with run_service(NoHealth) as service:
        with pytest.raises(LookupError, match=r"Options\.health\.enabled"):
            _ = service.health_url
