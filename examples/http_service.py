"""A basic HTTP service: routes as regular expressions, named groups as arguments, a custom 404.

    make run                                   # or: .venv/bin/tomodachi run examples/http_service.py
    curl -i http://127.0.0.1:9700/resource/1234
    curl -i http://127.0.0.1:9700/health
    curl -i http://127.0.0.1:9700/no-route

Edit this file while it runs and the service restarts with the new code; stop it with ctrl+c.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

import tomodachi


class Service(tomodachi.Service):
    name = "http-example"

    # Request paths are specified as regex for full flexibility
    @tomodachi.http("GET", r"/resource/(?P<id>[^/]+?)/?")
    async def resource(self, request: web.Request, id: str) -> str:
        # Returning a string value normally means 200 OK
        return f"id = {id}"

    @tomodachi.http("GET", r"/health")
    async def health_check(self, request: web.Request) -> dict[str, Any]:
        # Return can also be a tuple, dict or even an aiohttp.web.Response
        return {"body": "Healthy", "status": 200}

    # Specify custom 404 catch-all response
    @tomodachi.http_error(status_code=404)
    async def error_404(self, request: web.Request) -> str:
        return "error 404"
