"""The client's address: the socket peer, or a trusted proxy's forwarding header."""

from __future__ import annotations

import ipaddress
from typing import Any

from aiohttp import web

from ._settings import Network


class RemoteIp:
    """Computes a request's client address.

    The ``header`` (``X-Forwarded-For`` by default) is read only when the peer lies in one of
    ``networks``; its first entry must be an IP address, else the peer's address is used.

    Args:
        networks: The trusted proxies.
        header: The forwarding header.
    """

    __slots__ = ("header", "networks")

    def __init__(self, networks: tuple[Network, ...], header: str) -> None:
        self.networks = networks
        self.header = header

    def __call__(self, request: web.BaseRequest) -> str:
        peer = request.remote or ""
        if not self.networks or not peer:
            return peer
        if not self.trusts(peer):
            return peer
        value = request.headers.get(self.header)
        if not value:
            return peer
        first = value.split(",", 1)[0].strip()
        first = first.split()[0] if first else ""
        try:
            return str(ipaddress.ip_address(first))
        except ValueError:
            return peer

    def trusts(self, peer: str) -> bool:
        """Whether ``peer`` is one of the trusted proxies."""
        try:
            address: Any = ipaddress.ip_address(peer.split("%", 1)[0])
        except ValueError:
            return False
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            address = mapped
        return any(address.version == network.version and address in network for network in self.networks)


def get_forwarded_remote_ip(request: web.BaseRequest) -> str:
    """The client address of ``request``, as its service's options define it.

    Behind a proxy listed in ``http.real_ip_from``, the first address of ``http.real_ip_header``;
    otherwise the socket peer.

    Args:
        request: A request received by a service's HTTP server.

    Returns:
        The address, or ``""`` when it is not known.
    """
    resolve = getattr(request, "remote_ip_resolver", None)
    if isinstance(resolve, RemoteIp):
        return resolve(request)
    return request.remote or ""
