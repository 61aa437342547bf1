"""Helpers to test HTTP services in-process, without the framework.

``serve(service)`` starts the runtime of a service's HTTP handlers on a free loopback port and
stops it at the end::

    class Service:
        options = TestOptions()

        @http("GET", r"/health")
        async def health(self):
            return "ok"

    async with serve(Service()) as server:
        async with aiohttp.ClientSession(server.url) as session:
            ...
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp

from tomodachi_middleware import handler_specs

from ._options import HTTPOptions
from ._runtime import HttpRuntime
from ._specs import TRANSPORT, HttpHandlerSpec


class TestOptions:
    """The options a service needs for ``serve``: its ``http`` section, on a free loopback port.

    Args:
        **http: Keys of ``HTTPOptions``; ``port`` defaults to 0, ``host`` to ``127.0.0.1`` and
            ``reuse_port`` to ``False``.
    """

    __test__ = False  # not a test class

    def __init__(self, **http: Any) -> None:
        http.setdefault("port", 0)
        http.setdefault("host", "127.0.0.1")
        http.setdefault("reuse_port", False)
        self.http = HTTPOptions(**http)


def http_specs(cls: type) -> list[HttpHandlerSpec]:
    """The HTTP handler specs of a class's methods, in definition order (its bases' not included).

    Args:
        cls: The service class.

    Returns:
        The specs.
    """
    return [
        spec
        for value in vars(cls).values()
        for spec in handler_specs(value)
        if isinstance(spec, HttpHandlerSpec)
    ]


@dataclass
class RunningServer:
    """A started runtime, with the address it listens on."""

    runtime: HttpRuntime

    @property
    def port(self) -> int:
        return self.runtime.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.runtime.port}"

    async def send_raw(self, data: bytes, *, read_seconds: float = 5.0) -> bytes:
        """Sends ``data`` unchanged on a new connection and returns what comes back until it closes.

        Args:
            data: The bytes to send.
            read_seconds: How long to wait for the server to close the connection.

        Returns:
            All bytes received.

        Raises:
            TimeoutError: The connection stayed open longer than ``read_seconds``.
        """
        reader, writer = await asyncio.open_connection("127.0.0.1", self.runtime.port)
        try:
            writer.write(data)
            await writer.drain()
            return await asyncio.wait_for(reader.read(), read_seconds)
        finally:
            writer.close()


@asynccontextmanager
async def serve(service: Any) -> AsyncIterator[RunningServer]:
    """Starts the HTTP runtime of ``service``, and drains and closes it at the end.

    Args:
        service: An object with ``options.http`` and handlers decorated on its class.

    Yields:
        The running server.

    Raises:
        HttpException: The runtime could not start.
    """
    runtime = TRANSPORT.create_runtime(service, http_specs(type(service)))
    await runtime.start()
    try:
        yield RunningServer(runtime)
    finally:
        await runtime.drain()
        await runtime.close()


@dataclass
class ServedClient:
    """A running server and an aiohttp client session on its address."""

    server: RunningServer
    session: aiohttp.ClientSession

    @property
    def port(self) -> int:
        return self.server.port

    async def raw(self, data: bytes) -> bytes:
        """Sends ``data`` unchanged on a new connection; see ``RunningServer.send_raw``."""
        return await self.server.send_raw(data)


@asynccontextmanager
async def serve_client(service: Any) -> AsyncIterator[ServedClient]:
    """``serve(service)`` with a client session whose base URL is the server's.

    Args:
        service: As for ``serve``.

    Yields:
        The server and the session.

    Raises:
        HttpException: The runtime could not start.
    """
    async with serve(service) as server, aiohttp.ClientSession(server.url) as session:
        yield ServedClient(server, session)
