"""The errors of the HTTP transport, one tree::

    HttpException                 anything the HTTP transport refuses or cannot do
    ├── HttpBindError             the server cannot listen on its host and port
    ├── HttpAccessLogError        the access-log file cannot be opened
    └── HttpConfigurationError    invalid options or handler definitions (also a ValueError)

Errors of the operating system while binding are translated in ``bind_error``, the one place
where a foreign error becomes one of these.
"""

from __future__ import annotations


class HttpException(Exception):
    """The base of the HTTP transport's errors; tomodachi 0.29's ``HttpException``."""


class HttpBindError(HttpException):
    """The server could not listen on its address (in use, not available, not permitted)."""


class HttpAccessLogError(HttpException):
    """The access-log file named by ``http.access_log`` cannot be opened for appending."""


class HttpConfigurationError(HttpException, ValueError):
    """An option or a handler definition cannot work (checked when the server starts)."""


def bind_error(exc: OSError, host: str, port: int) -> HttpBindError:
    """Translates an ``OSError`` raised while binding into an ``HttpBindError``.

    Args:
        exc: The error of the operating system.
        host: The host the server tried to bind.
        port: The port the server tried to bind.

    Returns:
        The error to raise (``raise bind_error(exc, host, port) from exc``).
    """
    reason = exc.strerror or str(exc)
    return HttpBindError(f"unable to bind service [http] to http://{host}:{port}/: {reason}")
