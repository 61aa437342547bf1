"""What a handler may return, turned into an aiohttp response.

Handlers return a ``str``, ``bytes``, ``None``, a ``dict`` (``body``, ``status``, ``headers``), a
tuple ``(status, body)`` or ``(status, body, headers)``, an ``HttpResponse``, or any aiohttp
response, which is sent as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web
from multidict import CIMultiDict

_CONTENT_TYPE = "Content-Type"


class HttpResponse:
    """A response with its content type and charset given apart; tomodachi's ``HttpResponse``.

    Args:
        body: The body; ``str`` is encoded with ``charset``.
        status: The HTTP status.
        reason: The reason phrase; the standard one by default.
        headers: Response headers.
        content_type: The media type, without parameters (``"text/html"``).
        charset: The charset of a text body; the service's default when not given.
    """

    __slots__ = ("_body", "charset", "content_type", "headers", "missing_content_type", "reason", "status")

    def __init__(
        self,
        *,
        body: bytes | str | None = None,
        status: int = 200,
        reason: str | None = None,
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
        charset: str | None = None,
    ) -> None:
        self._body = body
        self.status = int(status)
        self.reason = reason
        self.headers: CIMultiDict[str] = CIMultiDict(headers or {})
        self.missing_content_type = (
            content_type is None and charset is None and _CONTENT_TYPE not in self.headers
        )
        self.content_type = content_type
        self.charset = charset

    @property
    def body(self) -> bytes | str | None:
        return self._body

    def get_aiohttp_response(
        self, default_content_type: str = "text/plain; charset=utf-8", default_charset: str = "utf-8"
    ) -> web.Response:
        """The aiohttp response that sends this one.

        Args:
            default_content_type: Used when neither a content type, a charset nor a
                ``Content-Type`` header was given.
            default_charset: Used for text when no charset was given.

        Returns:
            The response.

        Raises:
            UnicodeEncodeError: The body cannot be encoded with the charset.
        """
        headers = CIMultiDict(self.headers)
        charset = self.charset
        if self.missing_content_type:
            headers[_CONTENT_TYPE] = default_content_type
            charset = charset_of(default_content_type) or default_charset
        elif self.content_type is not None or self.charset is not None:
            media = self.content_type or media_type_of(headers.get(_CONTENT_TYPE)) or "text/plain"
            charset = charset or default_charset
            headers[_CONTENT_TYPE] = f"{media}; charset={charset}"
        else:
            charset = charset_of(headers[_CONTENT_TYPE]) or default_charset
        data = encode_body(self._body, charset)
        return web.Response(body=data, status=self.status, reason=self.reason, headers=headers)


def media_type_of(content_type: str | None) -> str | None:
    """The media type of a ``Content-Type`` value, without its parameters."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip() or None


def charset_of(content_type: str) -> str | None:
    """The ``charset`` parameter of a ``Content-Type`` value, if it has one."""
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


def encode_body(body: Any, charset: str) -> bytes:
    """The bytes of a body: ``str`` encoded with ``charset``, ``None`` empty, others as text."""
    if isinstance(body, bytes):
        return body
    if body is None:
        return b""
    if isinstance(body, bytearray | memoryview):
        return bytes(body)
    return (body if isinstance(body, str) else str(body)).encode(charset)


def _status(value: Any, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bytes):
        value = value.decode()
    return int(value)


def _headers(value: Any) -> CIMultiDict[str]:
    if not value:
        return CIMultiDict()
    if isinstance(value, Mapping):
        return CIMultiDict({str(k): str(v) for k, v in value.items()})
    return CIMultiDict([(str(k), str(v)) for k, v in value])


class ResponseBuilder:
    """Turns handler return values into responses, with the service's default content type.

    Args:
        content_type: The full default ``Content-Type`` value (with its charset).
        charset: The charset of the default content type.
    """

    __slots__ = ("charset", "content_type")

    def __init__(self, content_type: str, charset: str) -> None:
        self.content_type = content_type
        self.charset = charset

    def text(self, body: Any, status: int) -> web.Response:
        """A response of the default content type."""
        data = encode_body(body, self.charset)
        return web.Response(body=data, status=status, headers={_CONTENT_TYPE: self.content_type})

    def build(self, value: Any, status: int = 200) -> web.StreamResponse:
        """The response for a handler's return value.

        Args:
            value: What the handler returned.
            status: The status when the value does not give one (the code of an error handler).

        Returns:
            The response.

        Raises:
            ValueError: A status that is not a number.
            UnicodeEncodeError: A body that the charset cannot encode.
        """
        if isinstance(value, str | bytes) or value is None:
            return self.text(value, status)
        if isinstance(value, web.StreamResponse):
            return value
        if isinstance(value, HttpResponse):
            return value.get_aiohttp_response(self.content_type, self.charset)
        if isinstance(value, dict):
            return self._with_headers(
                value.get("body"), _status(value.get("status"), status), value.get("headers")
            )
        if isinstance(value, tuple | list):
            if len(value) == 2:
                return self._with_headers(value[1], _status(value[0], status), None)
            if len(value) == 3:
                return self._with_headers(value[1], _status(value[0], status), value[2])
        return self.text(str(value), status)

    def _with_headers(self, body: Any, status: int, headers: Any) -> web.Response:
        if not headers:
            return self.text(body, status)
        merged = _headers(headers)
        if _CONTENT_TYPE in merged:
            charset = charset_of(merged[_CONTENT_TYPE]) or "utf-8"
        else:
            merged[_CONTENT_TYPE] = self.content_type
            charset = self.charset
        return web.Response(body=encode_body(body, charset), status=status, headers=merged)
