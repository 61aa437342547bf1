"""An HTTP service that serves prometheus_client's default registry itself, for the metric reader tests."""

import os

import prometheus_client

import tomodachi


class OtelMetricReader(tomodachi.Service):
    name = "otel-metric-reader"
    options = tomodachi.Options(
        http=tomodachi.Options.HTTP(port=int(os.environ.get("HTTP_PORT", "9702")), host="127.0.0.1")
    )

    @tomodachi.http("GET", r"/hello/(?P<who>[^/]+)")
    async def hello(self, request, who):
        return f"hello {who}"

    @tomodachi.http("GET", r"/metrics")
    async def metrics(self, request):
        return prometheus_client.generate_latest().decode()
