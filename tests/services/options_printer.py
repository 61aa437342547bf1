"""Prints its options and config-file attributes once started, then exits."""

import json

import tomodachi


class OptionsPrinter(tomodachi.Service):
    name = "options-printer"
    options = tomodachi.Options(http=tomodachi.Options.HTTP(port=31337, server_header="custom"))
    tags = ["from-class"]

    async def _started_service(self) -> None:
        shown = {
            "http.port": self.options.http.port,
            "http.server_header": self.options.http.server_header,
            "amqp.host": self.options.amqp.host,
            "tags": self.tags,
            "extra": getattr(self, "extra", None),
        }
        print("options: " + json.dumps(shown), flush=True)
        tomodachi.exit()
