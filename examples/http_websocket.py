"""A websocket endpoint: the handler returns the callables that receive frames and see the close.

.venv/bin/tomodachi run examples/http_websocket.py
python -c "import asyncio, aiohttp
async def main():
    async with aiohttp.ClientSession() as s, s.ws_connect('http://127.0.0.1:9700/echo') as ws:
        print(await ws.receive_str()); await ws.send_str('hi'); print(await ws.receive_str())
asyncio.run(main())"
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

import tomodachi


class Service(tomodachi.Service):
    name = "websocket-example"

    @tomodachi.websocket(r"/echo")
    async def echo(
        self, websocket: web.WebSocketResponse, request: web.Request
    ) -> tuple[Callable[[str], Awaitable[None]], Callable[[], Awaitable[None]]]:
        await websocket.send_str("connected")

        async def receive(data: str) -> None:
            await websocket.send_str(f"echo: {data}")

        async def close() -> None:
            self.log_close(request)

        return receive, close

    def log_close(self, request: web.Request) -> None:
        tomodachi.get_logger("websocket-example").info("websocket closed", path=request.path)
