"""Route patterns and the lookup of a method and path."""

from __future__ import annotations

import pytest
from aiohttp import web

from tomodachi_transport_http import HttpConfigurationError
from tomodachi_transport_http._routing import Route, Router, compile_path, ignore_logging_value


async def nothing(request: web.BaseRequest, groups: dict[str, str]) -> web.StreamResponse:
    return web.Response()


def route(methods: tuple[str, ...], url: str, name: str) -> Route:
    return Route("route", methods, compile_path(url), nothing, False, name)


def test_patterns_are_anchored_and_user_anchors_are_optional() -> None:
    for url in (r"/a/(?P<id>\d+)", r"^/a/(?P<id>\d+)$", r"^/a/(?P<id>\d+)", r"/a/(?P<id>\d+)$"):
        pattern = compile_path(url)
        assert pattern.fullmatch("/a/12") is not None
        assert pattern.fullmatch("/a/12/") is None
        assert pattern.fullmatch("/x/a/12") is None
    assert compile_path(r"/price\$").fullmatch("/price$") is not None


def test_invalid_patterns_and_reserved_group_names_are_refused() -> None:
    with pytest.raises(HttpConfigurationError, match="invalid route pattern"):
        compile_path(r"/a/(?P<id")
    with pytest.raises(HttpConfigurationError, match="'request'"):
        compile_path(r"/a/(?P<request>\d+)")


def test_the_first_route_in_definition_order_wins() -> None:
    router = Router([route(("GET",), r"/a/(?P<x>.+)", "first"), route(("GET",), r"/a/(?P<y>b)", "second")])
    found = router.resolve("GET", "/a/b")
    assert found is not None
    assert (found[0].name, found[1]) == ("first", {"x": "b"})


def test_get_routes_answer_head_and_other_methods_are_listed_as_allowed() -> None:
    router = Router([route(("GET",), r"/a", "get"), route(("POST", "DELETE"), r"/a", "change")])
    assert router.resolve("HEAD", "/a") is not None
    assert router.resolve("PUT", "/a") is None
    assert router.allowed_methods("/a") == ["DELETE", "GET", "HEAD", "POST"]
    assert router.allowed_methods("/b") == []


def test_ignore_logging_values() -> None:
    assert ignore_logging_value(True) is True
    assert ignore_logging_value(False) is False
    assert ignore_logging_value([]) is False
    assert ignore_logging_value((200, "404")) == frozenset({200, 404})
