"""An HTTP service for the OpenTelemetry end-to-end tests; its port comes from HTTP_PORT."""

import os

import tomodachi


class OtelHttp(tomodachi.Service):
    name = "otel-http"
    options = tomodachi.Options(
        http=tomodachi.Options.HTTP(port=int(os.environ.get("HTTP_PORT", "9701")), host="127.0.0.1")
    )

    @tomodachi.http("GET", r"/hello/(?P<who>[^/]+)")
    async def hello(self, request, who):
        tomodachi.get_logger().info("saying hello", who=who)
        return f"hello {who}"
