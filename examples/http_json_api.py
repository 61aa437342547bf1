"""A JSON API with options, a health check left out of the access log and JSON error handlers.

.venv/bin/tomodachi run examples/http_json_api.py
curl -s http://127.0.0.1:9700/ | python -m json.tool
curl -i http://127.0.0.1:9700/health
curl -i http://127.0.0.1:9700/no-route
curl -i -X DELETE http://127.0.0.1:9700/
"""

from __future__ import annotations

import json

from aiohttp import web

import tomodachi


class Service(tomodachi.Service):
    name = "example"
    options = tomodachi.Options(
        http=tomodachi.Options.HTTP(
            port=9700,
            content_type="application/json; charset=utf-8",
            real_ip_from=["127.0.0.1/32", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
            keepalive_timeout=5,
            max_keepalive_requests=20,
        ),
    )
    _healthy = True

    @tomodachi.http("GET", r"/")
    async def index_endpoint(self, request: web.Request) -> str:
        # tomodachi.get_execution_context() can be used for debugging purposes or to add additional
        # service context in logs or alerts.
        return json.dumps({"data": "hello world!", "execution_context": tomodachi.get_execution_context()})

    @tomodachi.http("GET", r"/health/?", ignore_logging=True)
    async def health_check(self, request: web.Request) -> tuple[int, str]:
        if self._healthy:
            return 200, json.dumps({"status": "healthy"})
        return 503, json.dumps({"status": "not healthy"})

    @tomodachi.http_error(status_code=400)
    async def error_400(self, request: web.Request) -> str:
        return json.dumps({"error": "bad-request"})

    @tomodachi.http_error(status_code=404)
    async def error_404(self, request: web.Request) -> str:
        return json.dumps({"error": "not-found"})

    @tomodachi.http_error(status_code=405)
    async def error_405(self, request: web.Request) -> str:
        return json.dumps({"error": "method-not-allowed"})
