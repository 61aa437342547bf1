"""An HTTP service whose ``_started_service`` hook waits until the GATE_STARTED file exists.

Its HTTP server listens from the start of the transports on, so probes reach it while the hook
waits. The HTTP and health options come from a ``-c`` config file.
"""

import asyncio
import os

import tomodachi


async def wait_for_gate(variable: str) -> None:
    path = os.environ.get(variable)
    if not path:
        return
    print(f"waiting for {variable}", flush=True)
    for _ in range(3000):  # at most 60 s
        if await asyncio.to_thread(os.path.exists, path):
            print(f"passed {variable}", flush=True)
            return
        await asyncio.sleep(0.02)
    raise TimeoutError(f"{variable} was never opened")


class HealthHttp(tomodachi.Service):
    name = "health-http"

    @tomodachi.http("GET", r"/hello")
    async def hello(self, request):
        return "hello"

    async def _started_service(self) -> None:
        await wait_for_gate("GATE_STARTED")
