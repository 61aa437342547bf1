"""The status that a handler's return value or exception gives, without sending anything."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ._responses import ResponseBuilder

CLIENT_CLOSED = 499
_DEFAULT_RESPONSES = ResponseBuilder("text/plain; charset=utf-8", "utf-8")


def get_http_response_status_sync(
    value: Any, request: web.BaseRequest | None = None, verify_transport: bool = True
) -> int | None:
    """The HTTP status that ``value`` gives when a handler returns or raises it.

    Args:
        value: A return value (any form a handler may return) or an exception.
        request: The request, to see whether its client is still connected.
        verify_transport: Answer 499 when the client has gone away.

    Returns:
        The status; 499 for a client that went away, 500 for an exception that is not an
        aiohttp ``HTTPException``; ``None`` when ``value`` is not a valid response.
    """
    if verify_transport and request is not None:
        transport = request.transport
        if transport is None or transport.is_closing():
            return CLIENT_CLOSED
    if isinstance(value, web.HTTPException):
        return value.status
    if isinstance(value, BaseException):
        return 500
    try:
        return _DEFAULT_RESPONSES.build(value).status
    except (ValueError, TypeError, UnicodeError):
        return None


async def get_http_response_status(
    value: Any, request: web.BaseRequest | None = None, verify_transport: bool = True
) -> int | None:
    """The HTTP status that ``value`` gives; the async form of ``get_http_response_status_sync``.

    Args:
        value: A return value (any form a handler may return) or an exception.
        request: The request, to see whether its client is still connected.
        verify_transport: Answer 499 when the client has gone away.

    Returns:
        As ``get_http_response_status_sync``.
    """
    return get_http_response_status_sync(value, request, verify_transport)
