"""The status of a return value or an exception, without a server."""

from __future__ import annotations

from aiohttp import web

from tomodachi_transport_http import HttpResponse, get_http_response_status, get_http_response_status_sync


def test_statuses_of_return_values_and_exceptions() -> None:
    assert get_http_response_status_sync("ok") == 200
    assert get_http_response_status_sync(None) == 200
    assert get_http_response_status_sync((201, "x")) == 201
    assert get_http_response_status_sync({"status": "404"}) == 404
    assert get_http_response_status_sync(HttpResponse(status=418)) == 418
    assert get_http_response_status_sync(web.Response(status=204)) == 204
    assert get_http_response_status_sync(web.HTTPForbidden()) == 403
    assert get_http_response_status_sync(ValueError("x")) == 500
    assert get_http_response_status_sync(("x", "y")) is None


async def test_the_async_form_gives_the_same_status() -> None:
    assert await get_http_response_status((202, "")) == 202
