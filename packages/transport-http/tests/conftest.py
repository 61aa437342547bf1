"""A client session for a service served by ``tomodachi_transport_http.testing.serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from tomodachi_transport_http.testing import RunningServer, serve


@dataclass
class Served:
    server: RunningServer
    session: aiohttp.ClientSession

    @property
    def port(self) -> int:
        return self.server.port

    async def raw(self, data: bytes) -> bytes:
        return await self.server.send_raw(data)


@pytest.fixture
def serving() -> Callable[[Any], AbstractAsyncContextManager[Served]]:
    @asynccontextmanager
    async def running(service: Any) -> AsyncIterator[Served]:
        async with serve(service) as server, aiohttp.ClientSession(server.url) as session:
            yield Served(server, session)

    return running
