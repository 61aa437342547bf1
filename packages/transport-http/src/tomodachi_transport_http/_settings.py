"""The server settings derived once, at start, from the ``http`` options section."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from ._errors import HttpConfigurationError

_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]?)b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_MIN_BODY_SIZE = 1024
_MAX_BODY_SIZE = 1024**3

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_size(value: str | int) -> int:
    """The number of bytes of a ``client_max_size`` value.

    Args:
        value: An int, or a string such as ``"100M"``, ``"512 kb"`` or ``"1GB"`` (1024-based).

    Returns:
        The size in bytes.

    Raises:
        HttpConfigurationError: The value cannot be read, or lies outside 1 KiB to 1 GiB.
    """
    if isinstance(value, bool):
        raise HttpConfigurationError(f"invalid http.client_max_size: {value!r}")
    if isinstance(value, int):
        size = value
    else:
        match = _SIZE.match(str(value))
        if match is None:
            raise HttpConfigurationError(f"invalid http.client_max_size: {value!r}")
        size = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if not _MIN_BODY_SIZE <= size <= _MAX_BODY_SIZE:
        raise HttpConfigurationError(
            f"http.client_max_size must lie between 1024 bytes and 1 GiB, got {value!r}"
        )
    return size


def parse_networks(value: str | list[str] | tuple[str, ...] | None) -> tuple[Network, ...]:
    """The networks of ``real_ip_from``.

    Args:
        value: An address or CIDR network, or a list of them; ``None`` or ``""`` for none.

    Returns:
        The networks, addresses as one-address networks.

    Raises:
        HttpConfigurationError: An entry is not an address or a network.
    """
    if not value:
        return ()
    entries = [value] if isinstance(value, str) else list(value)
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError as exc:
            raise HttpConfigurationError(f"invalid http.real_ip_from entry: {entry!r}") from exc
    return tuple(networks)


def split_content_type(content_type: str, charset: str) -> tuple[str, str]:
    """The default content type's header value and the charset to encode text bodies with."""
    if ";" in content_type:
        for part in content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"')
        return content_type, charset
    return f"{content_type}; charset={charset}", charset


@dataclass(frozen=True, slots=True)
class Settings:
    """What the runtime reads per request, computed once from the options."""

    host: str | None
    port: int
    reuse_port: bool
    content_type: str
    charset: str
    client_max_size: int
    grace_period: float
    access_log: bool
    access_log_file: str | None
    real_ip_from: tuple[Network, ...]
    real_ip_header: str
    keepalive_timeout: int
    max_keepalive_requests: int
    max_keepalive_time: float
    server_header: str


def read_settings(options: Any) -> Settings:
    """Reads and checks the ``http`` options section.

    Args:
        options: An ``HTTPOptions`` (or any object with its attributes).

    Returns:
        The settings.

    Raises:
        HttpConfigurationError: A value cannot work.
    """
    keepalive = int(options.keepalive_timeout or 0) or int(options.keepalive_expiry or 0)
    max_requests = int(options.max_keepalive_requests or 0)
    max_time = float(options.max_keepalive_time or 0)
    if keepalive <= 0 and (max_requests or max_time):
        raise HttpConfigurationError(
            "http.max_keepalive_requests and http.max_keepalive_time need http.keepalive_timeout > 0"
        )
    content_type, charset = split_content_type(str(options.content_type), str(options.charset))
    access_log = options.access_log
    return Settings(
        host=options.host or None,
        port=int(options.port),
        reuse_port=bool(options.reuse_port),
        content_type=content_type,
        charset=charset,
        client_max_size=parse_size(options.client_max_size),
        grace_period=float(options.termination_grace_period_seconds),
        access_log=bool(access_log),
        access_log_file=access_log if isinstance(access_log, str) and access_log else None,
        real_ip_from=parse_networks(options.real_ip_from),
        real_ip_header=str(options.real_ip_header),
        keepalive_timeout=max(keepalive, 0),
        max_keepalive_requests=max_requests,
        max_keepalive_time=max_time,
        server_header=str(options.server_header),
    )
