"""The access log: one line per request on ``tomodachi.http.response``, and its optional file."""

from __future__ import annotations

import binascii
import datetime
import json
import logging
import logging.handlers
import time
from typing import Any

from aiohttp import web

from ._errors import HttpAccessLogError

HTTP_LOGGER = logging.getLogger("tomodachi.http")
RESPONSE_LOGGER = logging.getLogger("tomodachi.http.response")
WEBSOCKET_LOGGER = logging.getLogger("tomodachi.http.websocket")
EXCEPTION_LOGGER = logging.getLogger("exception")

_RESPONSE = RESPONSE_LOGGER.name
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


def auth_user(request: web.BaseRequest) -> str | None:
    """The login of a ``Basic`` ``Authorization`` header, if the request has a readable one."""
    header = request.headers.get("Authorization")
    if not header or not header.startswith("Basic "):
        return None
    try:
        decoded = binascii.a2b_base64(header[6:].strip().encode()).decode("latin-1")
    except (binascii.Error, ValueError):
        return None
    login = decoded.split(":", 1)[0]
    return login or None


def seconds(value: float) -> str:
    """A duration as the access log writes it: ``"0.00093s"``."""
    return f"{value:.5f}s"


def request_fields(request: web.BaseRequest, remote_ip: str) -> dict[str, Any]:
    """The fields that describe the client and the request, empty ones left out."""
    fields: dict[str, Any] = {}
    if remote_ip:
        fields["remote_ip"] = remote_ip
    user = auth_user(request)
    if user:
        fields["auth_user"] = user
    fields["request_method"] = request.method
    fields["request_path"] = request.path
    if request.query_string:
        fields["request_query_string"] = request.query_string
    return fields


def log_access(
    request: web.BaseRequest,
    *,
    status: int,
    replaced_status: int | None,
    response_length: int | None,
    remote_ip: str,
    handler_time: float | None,
    request_time: float,
) -> None:
    """Writes the access line of one request (the caller checks that the logger is enabled).

    Args:
        request: The request.
        status: The status logged: 499 when the client went away before the response.
        replaced_status: The status of the response that could not be sent, if any.
        response_length: The length of the response body, when known.
        remote_ip: The client's address.
        handler_time: Seconds spent in the handler, when it ran.
        request_time: Seconds since the request arrived.
    """
    # Logger.info would also walk the stack to find the caller, which no access line shows; the fields
    # go straight into the record, in the order that ``extra=`` would have set them.
    record = RESPONSE_LOGGER.makeRecord(_RESPONSE, logging.INFO, __file__, 0, "", (), None)
    fields = record.__dict__
    fields["status_code"] = status
    if replaced_status is not None:
        fields["replaced_status_code"] = replaced_status
    if remote_ip:
        fields["remote_ip"] = remote_ip
    headers = request.headers
    if "Authorization" in headers:
        user = auth_user(request)
        if user:
            fields["auth_user"] = user
    fields["request_method"] = request.method
    fields["request_path"] = request.path
    query_string = request.query_string
    if query_string:
        fields["request_query_string"] = query_string
    version = request.version
    fields["http_version"] = f"HTTP/{version.major}.{version.minor}"
    if response_length is not None:
        if replaced_status is not None:
            fields["replaced_response_content_length"] = response_length
        else:
            fields["response_content_length"] = response_length
    content_length = request.content_length
    if content_length:
        fields["request_content_length"] = content_length
    read = getattr(request.content, "total_bytes", 0)
    if read:
        fields["request_content_read_length"] = read
    agent = headers.get("User-Agent")
    if agent:
        fields["user_agent"] = agent
    if handler_time is not None:
        fields["handler_elapsed_time"] = f"{handler_time:.5f}s"
    fields["request_time"] = f"{request_time:.5f}s"
    RESPONSE_LOGGER.handle(record)


class JsonLineFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, logger, message and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        timestamp = datetime.datetime.fromtimestamp(record.created, datetime.UTC)
        line: dict[str, Any] = {
            "timestamp": timestamp.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "logger": record.name,
            "level": record.levelname.lower(),
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                line[key] = value
        return json.dumps(line, default=str)


def open_access_log_file(path: str) -> logging.Handler:
    """Attaches a handler that appends the access lines, as JSON, to the file at ``path``.

    Args:
        path: The file name.

    Returns:
        The handler, added to the ``tomodachi.http.response`` logger; pass it to
        ``close_access_log_file`` on stop.

    Raises:
        HttpAccessLogError: The file cannot be opened for appending.
    """
    try:
        handler = logging.handlers.WatchedFileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise HttpAccessLogError(
            f"unable to open the access log file {path!r}: {exc.strerror or exc}"
        ) from exc
    handler.setFormatter(JsonLineFormatter())
    handler.setLevel(logging.INFO)
    RESPONSE_LOGGER.addHandler(handler)
    return handler


def close_access_log_file(handler: logging.Handler) -> None:
    """Detaches and closes a handler made by ``open_access_log_file``."""
    RESPONSE_LOGGER.removeHandler(handler)
    handler.close()


def monotonic() -> float:
    """The clock of request timings."""
    return time.perf_counter()
