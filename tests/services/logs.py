"""Logs one line with a field and one exception, then exits."""

import tomodachi


class Logs(tomodachi.Service):
    name = "logs"

    async def _started_service(self) -> None:
        tomodachi.get_logger("app.orders").info("order placed", order_id=42)
        try:
            raise ValueError("bad order")
        except ValueError:
            tomodachi.get_logger("app.orders").exception("order failed")
        tomodachi.exit()
