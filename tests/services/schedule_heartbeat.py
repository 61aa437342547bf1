"""A heartbeat, an integer interval with ``immediately``, and a slow handler that overlaps itself.

Its middlewares print when called: they must not wrap scheduled handlers.
"""

import asyncio
from typing import Any

import tomodachi


async def middleware(func: Any, *args: Any, **kwargs: Any) -> Any:
    print("middleware called", flush=True)
    return await func()


class Ticker(tomodachi.Service):
    name = "ticker"
    http_middleware = [middleware]
    message_middleware = [middleware]

    @tomodachi.heartbeat
    async def beat(self, invocation_time: str) -> None:  # positional, no default: works here
        print(f"beat {invocation_time}", flush=True)

    @tomodachi.schedule(interval=2, immediately=True)
    async def every_two(self, interval, *, invocation_time: str = "") -> None:
        print(f"every_two interval={interval} {invocation_time}", flush=True)

    @tomodachi.schedule(interval="1s")
    async def slow(self) -> None:
        print("slow started", flush=True)
        await asyncio.sleep(1.5)
        print("slow finished", flush=True)

    async def _started_service(self) -> None:
        print("hook: _started_service", flush=True)
