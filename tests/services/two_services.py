import tomodachi


class First(tomodachi.Service):
    name = "first"

    async def _started_service(self) -> None:
        print(f"started: {self.name} {tomodachi.get_service('second') is not None}", flush=True)


class Second(tomodachi.Service):
    name = "second"

    async def _started_service(self) -> None:
        print(f"started: {self.name}", flush=True)
