"""Static files from examples/static on /static/..., next to an ordinary route.

.venv/bin/tomodachi run examples/http_static.py
curl -i http://127.0.0.1:9700/static/index.html
curl -i --path-as-is http://127.0.0.1:9700/static/../http_static.py    # 404: never outside the folder
"""

from __future__ import annotations

from aiohttp import web

import tomodachi


class Service(tomodachi.Service):
    name = "static-example"

    # A relative folder is read from the folder of this file.
    @tomodachi.http_static("static", r"/static/")
    async def static_files(self) -> None: ...

    @tomodachi.http("GET", r"/")
    async def index(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/static/index.html")
