import tomodachi


class StartFails(tomodachi.Service):
    name = "start-fails"

    async def _start_service(self) -> None:
        raise RuntimeError("database unreachable")

    async def _started_service(self) -> None:
        print("hook: _started_service", flush=True)

    async def _stop_service(self) -> None:
        print("hook: _stop_service", flush=True)
