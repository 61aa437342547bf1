"""HTTP middlewares: basic authentication as a callable object, and a function that adds a keyword.

.venv/bin/tomodachi run examples/http_middleware.py
curl -i http://127.0.0.1:9700/                                  # 401 auth required
curl -i -u example:wrong http://127.0.0.1:9700/                 # 401 bad credentials
curl -i -u example:example -H 'traceparent: abc' http://127.0.0.1:9700/
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

import tomodachi


class BasicAuthMiddleware:
    def __init__(self, username: str, password: str) -> None:
        self.valid_credentials = base64.b64encode(f"{username}:{password}".encode()).decode()

    async def __call__(
        self, func: Callable[..., Awaitable[web.Response]], *, request: web.Request
    ) -> web.Response:
        try:
            auth = request.headers.get("Authorization", "")
            encoded_credentials = auth.split()[-1] if auth.startswith("Basic ") else ""
            if encoded_credentials == self.valid_credentials:
                username = base64.b64decode(encoded_credentials).decode().split(":")[0]
                # The handler (and following middlewares) can use username in their signature.
                return await func(username=username)
            if auth:
                return web.json_response({"status": "bad credentials"}, status=401)
            return web.json_response({"status": "auth required"}, status=401)
        except Exception as exc:
            logging.getLogger("exception").exception(exc)
            return web.json_response({"status": "internal server error"}, status=500)


async def trace_middleware(func: Callable[..., Awaitable[Any]], *, request: web.Request) -> Any:
    # Passes a trace id to the following middlewares and to the handler
    return await func(traceid=request.headers.get("traceparent") or str(uuid.uuid4()))


class Service(tomodachi.Service):
    name = "middleware-example"
    http_middleware = (trace_middleware, BasicAuthMiddleware(username="example", password="example"))

    @tomodachi.http("GET", r"/")
    async def handler(self, request: web.Request, username: str, traceid: str) -> web.Response:
        return web.json_response({"user": username, "traceid": traceid})
