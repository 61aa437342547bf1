"""aiohttp's low-level server, with the service's answer to requests that cannot be parsed and
the age and request count of each connection."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web, web_protocol, web_request, web_server

HTTP_LOGGER = logging.getLogger("tomodachi.http")


class Connection(web_protocol.RequestHandler):
    """One client connection: aiohttp's, answering protocol errors as the service does."""

    __slots__ = ()

    def handle_error(
        self,
        request: web_request.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """The response to a request that could not be parsed or handled by aiohttp itself.

        It is logged as ``bad http request`` (4xx) or ``error in request handling`` (5xx), has a
        plain-text body (empty for 5xx) and closes the connection.
        """
        fields = {
            "status_code": status,
            "remote_ip": request.remote or "",
            "error": message or str(exc or ""),
        }
        if status >= 500:
            HTTP_LOGGER.warning("error in request handling", extra=fields)
        else:
            HTTP_LOGGER.info("bad http request", extra=fields)
        if request.writer.output_size > 0:
            raise ConnectionError("the response has started already: no error response can be sent")
        body = b"" if status >= 500 else (message or "").encode("utf-8", "replace")
        response = web.Response(
            status=status, body=body, headers={"Content-Type": "text/plain; charset=utf-8"}
        )
        manager = self._manager
        if isinstance(manager, Server):
            response.headers["Server"] = manager.server_header
        response.force_close()
        return response


class Server(web_server.Server):
    """aiohttp's low-level server that also knows when each connection opened and how many
    requests it has carried (for ``max_keepalive_time`` and ``max_keepalive_requests``).

    Args:
        *args: As for aiohttp's ``Server``.
        server_header: The ``Server`` header of error responses made here.
        **kwargs: As for aiohttp's ``Server``.
    """

    def __init__(self, *args: Any, server_header: str = "tomodachi", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.server_header = server_header
        self.connection_stats: dict[web_protocol.RequestHandler, list[float]] = {}

    def __call__(self) -> Connection:
        return Connection(self, loop=self._loop, **self._kwargs)

    def connection_made(self, handler: web_protocol.RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        self.connection_stats[handler] = [asyncio.get_running_loop().time(), 0]

    def connection_lost(self, handler: web_protocol.RequestHandler, exc: BaseException | None = None) -> None:
        super().connection_lost(handler, exc)
        self.connection_stats.pop(handler, None)

    @property
    def open_connections(self) -> int:
        """How many connections are open."""
        return len(self.connection_stats)
