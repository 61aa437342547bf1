"""Calls tomodachi.exit() with the code in the EXIT_CODE variable once started."""

import os

import tomodachi


class Exits(tomodachi.Service):
    name = "exits"

    async def _started_service(self) -> None:
        code = os.environ.get("EXIT_CODE")
        if code == "assigned":
            tomodachi.SERVICE_EXIT_CODE = 4
            tomodachi.exit()
        else:
            tomodachi.exit(int(code or 0))

    async def _stop_service(self) -> None:
        print("hook: _stop_service", flush=True)
