"""Websocket endpoints: the handler returns the callables that receive frames and see the close."""

from __future__ import annotations

import asyncio
import inspect
import logging
import uuid
from collections.abc import Callable
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from tomodachi_middleware import set_handler_context

from ._access_log import (
    EXCEPTION_LOGGER,
    RESPONSE_LOGGER,
    WEBSOCKET_LOGGER,
    monotonic,
    request_fields,
    seconds,
)
from ._invoke import Invoker
from ._remote_ip import RemoteIp

CLOSE_TIMEOUT = 10.0


def _callbacks(result: Any) -> tuple[Callable[..., Any] | None, Callable[..., Any] | None]:
    if result is None:
        return None, None
    if isinstance(result, tuple | list):
        receive = result[0] if len(result) > 0 else None
        close = result[1] if len(result) > 1 else None
        return receive, close
    if callable(result):
        return result, None
    return None, None


async def _call(callback: Callable[..., Any], *args: Any) -> None:
    result = callback(*args)
    if inspect.isawaitable(result):
        await result


def _log_exception(exc: BaseException) -> None:
    EXCEPTION_LOGGER.error(f"uncaught exception: {exc}", exc_info=exc)


class OpenWebsockets:
    """The websockets a runtime holds open, closed together when the service stops."""

    def __init__(self) -> None:
        self.sockets: set[web.WebSocketResponse] = set()

    async def close_all(self, wait_seconds: float = CLOSE_TIMEOUT) -> None:
        """Closes every open websocket with ``1001 going away``, waiting at most ``wait_seconds``."""
        if not self.sockets:
            return
        closing = [
            asyncio.ensure_future(socket.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown"))
            for socket in list(self.sockets)
        ]
        _done, pending = await asyncio.wait(closing, timeout=wait_seconds)
        for task in pending:
            task.cancel()


class WebsocketEndpoint:
    """The endpoint of a ``websocket`` route.

    Args:
        chain: Runs the handler (through the middlewares) with ``websocket`` and ``request``.
        remote_ip: Computes the client's address for the log lines.
        server_header: The ``Server`` header of the handshake response.
        open_sockets: Where open websockets are kept while they run.
        access_log: Whether the closing line goes to the access log.
        name: The handler's name, for the logs it writes.
    """

    def __init__(
        self,
        chain: Invoker,
        remote_ip: RemoteIp,
        server_header: str,
        open_sockets: OpenWebsockets,
        access_log: bool = True,
        name: str = "",
    ) -> None:
        self.chain = chain
        self.remote_ip = remote_ip
        self.server_header = server_header
        self.open_sockets = open_sockets
        self.access_log = access_log
        self.name = name

    def _fields(self, request: web.BaseRequest, socket_id: str) -> dict[str, Any]:
        fields = request_fields(request, self.remote_ip(request))
        del fields["request_method"]
        fields["websocket_id"] = socket_id
        fields["user_agent"] = request.headers.get("User-Agent", "")
        return fields

    async def __call__(self, request: web.BaseRequest, groups: dict[str, str]) -> web.StreamResponse:
        started = monotonic()
        socket_id = str(uuid.uuid4())
        socket = web.WebSocketResponse()
        socket.headers["Server"] = self.server_header
        try:
            await socket.prepare(request)
        except BaseException:
            WEBSOCKET_LOGGER.info(
                "", extra={"websocket_state": "cancelled", **self._fields(request, socket_id)}
            )
            raise
        WEBSOCKET_LOGGER.info("", extra={"websocket_state": "open", **self._fields(request, socket_id)})
        self.open_sockets.sockets.add(socket)
        receive: Callable[..., Any] | None = None
        close: Callable[..., Any] | None = None
        set_handler_context("tomodachi.http.handler", handler=self.name, type="tomodachi.websocket")
        try:
            try:
                receive, close = _callbacks(await self.chain(**groups, websocket=socket, request=request))
            except Exception as exc:
                _log_exception(exc)
                WEBSOCKET_LOGGER.info(
                    "", extra={"websocket_state": "error", **self._fields(request, socket_id)}
                )
                await socket.close(code=WSCloseCode.INTERNAL_ERROR)
                return socket
            async for message in socket:
                if message.type in (WSMsgType.TEXT, WSMsgType.BINARY) and receive is not None:
                    try:
                        await _call(receive, message.data)
                    except Exception as exc:
                        _log_exception(exc)
        finally:
            self.open_sockets.sockets.discard(socket)
            if close is not None:
                try:
                    await _call(close)
                except Exception as exc:
                    _log_exception(exc)
            if self.access_log and RESPONSE_LOGGER.isEnabledFor(logging.INFO):
                fields = self._fields(request, socket_id)
                fields["total_request_time"] = seconds(monotonic() - started)
                RESPONSE_LOGGER.info("", extra={"websocket_state": "closed", **fields})
        return socket
