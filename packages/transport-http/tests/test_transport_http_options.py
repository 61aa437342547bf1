import sys
from typing import Any

import pytest

from tomodachi_middleware import OptionsSection
from tomodachi_transport_http import HTTPOptions

DEFAULTS = [
    ("port", 9700),
    ("host", "0.0.0.0"),
    ("reuse_port", sys.platform.startswith("linux")),
    ("content_type", "text/plain; charset=utf-8"),
    ("charset", "utf-8"),
    ("client_max_size", 104857600),
    ("termination_grace_period_seconds", 30),
    ("access_log", True),
    ("real_ip_from", []),
    ("real_ip_header", "X-Forwarded-For"),
    ("keepalive_timeout", 0),
    ("keepalive_expiry", 0),
    ("max_keepalive_time", None),
    ("max_keepalive_requests", None),
    ("server_header", "tomodachi"),
]


@pytest.mark.parametrize(("key", "default"), DEFAULTS)
def test_every_key_has_its_default(key: str, default: object) -> None:
    assert HTTPOptions()[key] == default


def test_the_keys_are_tomodachis_in_its_order() -> None:
    assert list(HTTPOptions().keys()) == [key for key, _ in DEFAULTS]


def test_it_is_an_options_section_with_the_http_prefix() -> None:
    options = HTTPOptions()
    assert isinstance(options, OptionsSection)
    assert next(iter(options.asdict(prefix="http."))) == "http.port"
    assert repr(options).startswith('∴ http <class: "HTTPOptions" -- prefix: "http">:\n  | port = 9700\n')


def test_every_key_is_a_keyword() -> None:
    options = HTTPOptions(port=80, host=None, reuse_port=False, access_log="access.log", server_header="x")
    assert (options.port, options.host, options.reuse_port) == (80, None, False)
    assert options.access_log == "access.log"
    assert options.server_header == "x"


@pytest.mark.parametrize("empty", [None, ""])
def test_no_trusted_proxies_becomes_an_empty_list(empty: str | None) -> None:
    assert HTTPOptions(real_ip_from=empty).real_ip_from == []


def test_trusted_proxies_are_kept_as_given() -> None:
    assert HTTPOptions(real_ip_from="10.0.0.0/8").real_ip_from == "10.0.0.0/8"
    assert HTTPOptions(real_ip_from=["127.0.0.1/32"]).real_ip_from == ["127.0.0.1/32"]


def test_the_default_proxy_list_is_not_shared() -> None:
    first = HTTPOptions()
    first.real_ip_from.append("10.0.0.1")  # type: ignore[union-attr]
    assert HTTPOptions().real_ip_from == []


@pytest.mark.parametrize("legacy", ["max_buffer_size", "max_upload_size"])
def test_legacy_body_size_names_set_client_max_size(legacy: str) -> None:
    given: dict[str, Any] = {legacy: 1024}
    assert HTTPOptions(**given).client_max_size == 1024
    options = HTTPOptions()
    options.update({legacy: 2048})
    assert options.client_max_size == 2048


def test_an_unknown_key_is_refused() -> None:
    with pytest.raises(AttributeError, match=r"^'HTTPOptions' object has no attribute 'prot'$"):
        HTTPOptions(prot=80)
    with pytest.raises(AttributeError, match=r"^'HTTPOptions' object has no attribute 'prot'$"):
        HTTPOptions().prot = 80  # type: ignore[attr-defined]
