"""An HTTP service for the end-to-end tests; its port comes from HTTP_PORT."""

import asyncio
import json
import os

import tomodachi


class HttpApi(tomodachi.Service):
    name = "http-api"
    options = tomodachi.Options(
        http=tomodachi.Options.HTTP(
            port=int(os.environ.get("HTTP_PORT", "9700")),
            host="127.0.0.1",
            content_type="application/json; charset=utf-8",
            termination_grace_period_seconds=10,
            client_max_size=4096,
        ),
    )

    @tomodachi.http("GET", r"/resource/(?P<id>[^/]+?)/?")
    async def resource(self, request, id):
        return json.dumps({"id": id})

    @tomodachi.http("GET", r"/slow/(?P<n>\d+)")
    async def slow(self, request, n):
        print(f"slow started {n}", flush=True)
        await asyncio.sleep(1.5)
        return json.dumps({"slow": int(n)})

    @tomodachi.http("POST", r"/echo")
    async def echo(self, request):
        return await request.read()

    @tomodachi.http("GET", r"/health/?", ignore_logging=True)
    async def health(self, request):
        return 200, json.dumps({"status": "healthy"})

    @tomodachi.http_error(status_code=404)
    async def error_404(self, request):
        return json.dumps({"error": "not-found"})
