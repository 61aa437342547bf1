"""Settings derived from the options: sizes, content types, keep-alive rules."""

from __future__ import annotations

import pytest

from tomodachi_transport_http import HttpConfigurationError, HTTPOptions
from tomodachi_transport_http._settings import parse_size, read_settings, split_content_type


@pytest.mark.parametrize(
    ("value", "size"),
    [
        (2048, 2048),
        ("1024", 1024),
        ("4K", 4096),
        ("4kb", 4096),
        ("100M", 100 * 1024**2),
        ("1GB", 1024**3),
        ("2048B", 2048),
    ],
)
def test_client_max_size_values(value: str | int, size: int) -> None:
    assert parse_size(value) == size


@pytest.mark.parametrize("value", [1023, "2G", "lots", "", True, "-5"])
def test_client_max_size_outside_1k_to_1g_is_refused(value: str | int) -> None:
    with pytest.raises(HttpConfigurationError, match="client_max_size"):
        parse_size(value)


def test_the_default_content_type_carries_its_charset() -> None:
    assert split_content_type("text/plain; charset=utf-8", "latin-1") == (
        "text/plain; charset=utf-8",
        "utf-8",
    )
    assert split_content_type("application/json", "utf-8") == ("application/json; charset=utf-8", "utf-8")
    assert split_content_type("text/html; charset=latin-1", "utf-8") == (
        "text/html; charset=latin-1",
        "latin-1",
    )


def test_keepalive_expiry_is_the_older_name_of_keepalive_timeout() -> None:
    assert read_settings(HTTPOptions(keepalive_expiry=7)).keepalive_timeout == 7
    assert read_settings(HTTPOptions(keepalive_timeout=3, keepalive_expiry=7)).keepalive_timeout == 3


def test_keepalive_limits_need_keepalive() -> None:
    with pytest.raises(HttpConfigurationError):
        read_settings(HTTPOptions(max_keepalive_time=10))
    settings = read_settings(
        HTTPOptions(keepalive_timeout=5, max_keepalive_time=10, max_keepalive_requests=2)
    )
    assert (settings.max_keepalive_time, settings.max_keepalive_requests) == (10, 2)
