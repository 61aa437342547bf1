"""A scheduled handler with the bad input named by the BAD_SCHEDULE environment variable."""

import os

import tomodachi

BAD = os.environ.get("BAD_SCHEDULE", "cron")


class BadSchedule(tomodachi.Service):
    name = "bad-schedule"

    if BAD == "cron":

        @tomodachi.schedule(interval="0 0 30 2 *")
        async def report(self) -> None: ...

    elif BAD == "timezone":

        @tomodachi.schedule(interval="@daily", timezone="Mars/Olympus")
        async def report(self) -> None: ...

    elif BAD == "both":

        @tomodachi.schedule(interval=60, timestamp="08:00")
        async def report(self) -> None: ...

    elif BAD == "sync":

        @tomodachi.minutely
        def report(self) -> None: ...  # type: ignore[misc]  # deliberately not async
