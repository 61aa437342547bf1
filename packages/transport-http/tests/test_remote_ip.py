"""The client address: the peer, or the forwarding header of a trusted proxy only."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from tomodachi_transport_http import HttpConfigurationError, get_forwarded_remote_ip, http
from tomodachi_transport_http._remote_ip import RemoteIp
from tomodachi_transport_http._settings import parse_networks
from tomodachi_transport_http.testing import TestOptions
from tomodachi_transport_http.testing import serve_client as serving


def service(**options: Any) -> Any:
    class Service:
        @http("GET", r"/ip")
        async def ip(self, request: web.Request) -> str:
            return get_forwarded_remote_ip(request)

    instance = Service()
    instance.options = TestOptions(**options)  # type: ignore[attr-defined]
    return instance


async def test_the_header_of_a_trusted_proxy_gives_the_client() -> None:
    async with serving(service(real_ip_from=["127.0.0.0/8"])) as served:
        async with served.session.get("/ip", headers={"X-Forwarded-For": "9.9.9.9, 10.0.0.1"}) as response:
            assert await response.text() == "9.9.9.9"
        async with served.session.get("/ip") as response:
            assert await response.text() == "127.0.0.1"


async def test_a_spoofed_header_from_an_untrusted_peer_is_ignored() -> None:
    for options in ({}, {"real_ip_from": "10.0.0.0/8"}, {"real_ip_from": ["192.168.0.1"]}):
        async with (
            serving(service(**options)) as served,
            served.session.get("/ip", headers={"X-Forwarded-For": "9.9.9.9"}) as response,
        ):
            assert await response.text() == "127.0.0.1", options


async def test_a_header_that_is_not_an_address_gives_the_peer() -> None:
    async with serving(service(real_ip_from="127.0.0.1", real_ip_header="X-Real-IP")) as served:
        for value in ("not-an-ip", "", "   ", "<script>"):
            async with served.session.get("/ip", headers={"X-Real-IP": value}) as response:
                assert await response.text() == "127.0.0.1", value
        async with served.session.get("/ip", headers={"X-Real-IP": " 2001:db8::1 extra"}) as response:
            assert await response.text() == "2001:db8::1"


def test_trust_covers_ipv4_mapped_peers() -> None:
    remote = RemoteIp(parse_networks(["127.0.0.0/8"]), "X-Forwarded-For")
    assert remote.trusts("::ffff:127.0.0.1")
    assert remote.trusts("127.1.2.3")
    assert not remote.trusts("128.0.0.1")
    assert not remote.trusts("::1")
    assert not remote.trusts("garbage")


def test_real_ip_from_entries_must_be_addresses_or_networks() -> None:
    with pytest.raises(HttpConfigurationError, match="real_ip_from"):
        parse_networks(["10.0.0.0/8", "everyone"])
    assert parse_networks(None) == ()
    assert parse_networks("") == ()
