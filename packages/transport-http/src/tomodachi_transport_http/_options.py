"""The ``http`` section of a service's options: the HTTP server's settings."""

from __future__ import annotations

import sys
from typing import Any

from tomodachi_middleware import OptionsSection

# SO_REUSEPORT lets several processes of a service share one port; only Linux balances it usefully.
_REUSE_PORT_DEFAULT = sys.platform.startswith("linux")


class HTTPOptions(
    OptionsSection,
    prefix="http",
    aliases={"max_buffer_size": "client_max_size", "max_upload_size": "client_max_size"},
):
    """Settings of the HTTP server, the ``http.*`` keys.

    Args:
        port: TCP port to listen on.
        host: Interface to bind to; ``None`` or ``""`` binds all interfaces.
        reuse_port: Bind with SO_REUSEPORT, so that several processes share the port. Defaults to
            ``True`` on Linux, ``False`` elsewhere.
        content_type: Content-Type of responses that do not set one.
        charset: Charset of text responses that do not set one.
        client_max_size: Largest request body accepted, in bytes.
        termination_grace_period_seconds: How long running requests may take to finish on stop.
        access_log: ``True`` logs each request; a string also appends JSON lines to that file.
        real_ip_from: Proxies (addresses or CIDR networks) whose ``real_ip_header`` is trusted;
            ``None`` or ``""`` trust none.
        real_ip_header: Header that carries the client's address behind a trusted proxy.
        keepalive_timeout: Seconds an idle keep-alive connection stays open; 0 disables keep-alive.
        keepalive_expiry: Older name of ``keepalive_timeout``, read when that one is 0.
        max_keepalive_time: Seconds after which a keep-alive connection is closed after its next
            response; ``None`` or 0 for no limit.
        max_keepalive_requests: Requests after which a keep-alive connection is closed; ``None`` or 0
            for no limit.
        server_header: Value of the ``Server`` response header.
        **options: Dotted keys and the legacy names ``max_buffer_size`` and ``max_upload_size``
            (both ``client_max_size``).

    Raises:
        AttributeError: An unknown key was given.
    """

    __slots__ = (
        "access_log",
        "charset",
        "client_max_size",
        "content_type",
        "host",
        "keepalive_expiry",
        "keepalive_timeout",
        "max_keepalive_requests",
        "max_keepalive_time",
        "port",
        "real_ip_from",
        "real_ip_header",
        "reuse_port",
        "server_header",
        "termination_grace_period_seconds",
    )

    port: int
    host: str | None
    reuse_port: bool
    content_type: str
    charset: str
    client_max_size: str | int
    termination_grace_period_seconds: int
    access_log: bool | str
    real_ip_from: str | list[str]
    real_ip_header: str
    keepalive_timeout: int
    keepalive_expiry: int
    max_keepalive_time: int | None
    max_keepalive_requests: int | None
    server_header: str

    def __init__(
        self,
        *,
        port: int = 9700,
        host: str | None = "0.0.0.0",
        reuse_port: bool = _REUSE_PORT_DEFAULT,
        content_type: str = "text/plain; charset=utf-8",
        charset: str = "utf-8",
        client_max_size: str | int = 100 * 1024**2,
        termination_grace_period_seconds: int = 30,
        access_log: bool | str = True,
        real_ip_from: str | list[str] | None = None,
        real_ip_header: str = "X-Forwarded-For",
        keepalive_timeout: int = 0,
        keepalive_expiry: int = 0,
        max_keepalive_time: int | None = None,
        max_keepalive_requests: int | None = None,
        server_header: str = "tomodachi",
        **options: Any,
    ) -> None:
        self.port = port
        self.host = host
        self.reuse_port = reuse_port
        self.content_type = content_type
        self.charset = charset
        self.client_max_size = client_max_size
        self.termination_grace_period_seconds = termination_grace_period_seconds
        self.access_log = access_log
        self.real_ip_from = [] if real_ip_from is None or real_ip_from == "" else real_ip_from
        self.real_ip_header = real_ip_header
        self.keepalive_timeout = keepalive_timeout
        self.keepalive_expiry = keepalive_expiry
        self.max_keepalive_time = max_keepalive_time
        self.max_keepalive_requests = max_keepalive_requests
        self.server_header = server_header
        if options:
            self.update(options)
