"""A service with lifecycle hooks only: it logs a greeting every few seconds until it is stopped.

    .venv/bin/tomodachi run examples/hello_service.py

Edit this file while it runs and the service restarts with the new code; stop it with ctrl+c.
"""

from __future__ import annotations

import asyncio

import tomodachi


class HelloService(tomodachi.Service):
    name = "hello"

    async def _start_service(self) -> None:
        self.greetings = 0
        self.logger.info("getting ready")

    async def _started_service(self) -> None:
        self.ticker = asyncio.create_task(self.greet())

    async def greet(self) -> None:
        while True:
            self.greetings += 1
            tomodachi.get_logger("hello").info("hello from tomodachi", greeting=self.greetings)
            await asyncio.sleep(5)

    async def _stop_service(self) -> None:
        self.ticker.cancel()
        self.logger.info("said hello", times=self.greetings)
