"""The HTTP names of ``import tomodachi`` are the transport library's own objects."""

from __future__ import annotations

import tomodachi
import tomodachi.transport.http
import tomodachi_transport_http


def test_the_facade_re_exports_the_http_transport() -> None:
    for name in (
        "http",
        "http_error",
        "http_static",
        "websocket",
        "ws",
        "HttpResponse",
        "HttpException",
        "get_http_response_status",
        "get_http_response_status_sync",
        "get_forwarded_remote_ip",
    ):
        assert getattr(tomodachi, name) is getattr(tomodachi_transport_http, name), name


def test_the_compat_module_has_0_29_names() -> None:
    assert tomodachi.transport.http.Response is tomodachi_transport_http.HttpResponse
    assert tomodachi.transport.http.http is tomodachi.http
