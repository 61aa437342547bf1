import tomodachi


class NoHandlers(tomodachi.Service):
    name = "no-handlers"

    def helper(self) -> int:
        return 1
