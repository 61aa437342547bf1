"""The aiohttp low-level server, with the age and request count of each connection."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web_protocol, web_server


class Server(web_server.Server):
    """aiohttp's low-level server that also knows when each connection opened and how many
    requests it has carried (for ``max_keepalive_time`` and ``max_keepalive_requests``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.connection_stats: dict[web_protocol.RequestHandler, list[float]] = {}

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
