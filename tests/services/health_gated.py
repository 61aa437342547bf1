"""A service with lifecycle hooks only (no HTTP handlers) that waits on gate files the test creates.

GATE_START: ``_start_service`` waits until this file exists; GATE_STOP: ``_stop_service`` does.
The health options come from a ``-c`` config file.
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


class Gated(tomodachi.Service):
    name = "health-gated"

    async def _start_service(self) -> None:
        await wait_for_gate("GATE_START")

    async def _stop_service(self) -> None:
        await wait_for_gate("GATE_STOP")
