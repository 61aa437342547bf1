import tomodachi


class LoopPrinter(tomodachi.Service):
    name = "loop-printer"

    async def _started_service(self) -> None:
        print("event_loop: " + tomodachi.get_execution_context()["event_loop"], flush=True)
        tomodachi.exit()
