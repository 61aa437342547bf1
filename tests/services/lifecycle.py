"""Prints a marker from each lifecycle hook, so tests can read their order."""

import asyncio

import tomodachi


class Lifecycle(tomodachi.Service):
    name = "lifecycle"

    async def _start_service(self) -> None:
        print("hook: _start_service", flush=True)

    def _started_service(self) -> None:  # hooks may be plain functions
        print("hook: _started_service", flush=True)

    async def _stopping_service(self) -> None:
        print("hook: _stopping_service", flush=True)

    async def _stop_service(self) -> None:
        await asyncio.sleep(0.05)
        print("hook: _stop_service", flush=True)
