"""Routes compiled once, and the lookup of a request's method and path."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._errors import HttpConfigurationError

# The endpoint of a route: called with the request and the named groups of its path.
Endpoint = Callable[[web.BaseRequest, dict[str, str]], Awaitable[web.StreamResponse]]
Matcher = Callable[[str], "re.Match[str] | None"]
# Keywords the transport passes itself, so that no group of a path may have their names.
RESERVED_GROUP_NAMES = frozenset({"request", "websocket", "status_code"})


def compile_path(url: str) -> re.Pattern[str]:
    """The pattern of a route: ``url`` as a regular expression anchored at both ends.

    A leading ``^`` and a trailing ``$`` of ``url`` are dropped first, as tomodachi does.

    Args:
        url: The route's regular expression.

    Returns:
        The compiled pattern, to be used with ``fullmatch``.

    Raises:
        HttpConfigurationError: ``url`` is not a valid regular expression, or names a group
            ``request``, ``websocket`` or ``status_code``.
    """
    pattern = url[1:] if url.startswith("^") else url
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1]
    try:
        compiled = re.compile(f"^{pattern}$")
    except re.error as exc:
        raise HttpConfigurationError(f"invalid route pattern {url!r}: {exc}") from exc
    reserved = RESERVED_GROUP_NAMES.intersection(compiled.groupindex)
    if reserved:
        raise HttpConfigurationError(
            f"route pattern {url!r} names a group {sorted(reserved)[0]!r}, a keyword the transport gives"
        )
    return compiled


def exact_path(path: str) -> re.Pattern[str]:
    """The pattern that matches ``path`` and nothing else."""
    return re.compile(re.escape(path))


@dataclass(slots=True)
class Route:
    """A route: the methods and path it answers, what answers, and how it is logged."""

    kind: str
    methods: tuple[str, ...]
    pattern: re.Pattern[str]
    endpoint: Endpoint
    ignore_logging: bool | frozenset[int] = False
    name: str = ""
    match: Matcher = field(init=False)

    def __post_init__(self) -> None:
        self.match = self.pattern.fullmatch


class Router:
    """Finds the route of a request: the first one, in definition order, for its method and path."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = list(routes)
        self._by_method: dict[str, list[tuple[Matcher, Route]]] = {}
        for route in self.routes:
            methods = list(route.methods)
            if "GET" in methods and "HEAD" not in methods:
                methods.append("HEAD")
            for method in methods:
                self._by_method.setdefault(method, []).append((route.match, route))

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for ``method`` and ``path`` and the named groups of its match, or ``None``."""
        entries = self._by_method.get(method)
        if entries is not None:
            for match, route in entries:
                found = match(path)
                if found is not None:
                    return route, found.groupdict()
        return None

    def allowed_methods(self, path: str) -> list[str]:
        """The methods that some route answers on ``path``, sorted; empty when no route matches."""
        return sorted(
            method
            for method, entries in self._by_method.items()
            if any(match(path) is not None for match, _ in entries)
        )


def ignore_logging_value(value: Any) -> bool | frozenset[int]:
    """The ``ignore_logging`` argument in the form the access log reads: True, or status codes."""
    if value is True:
        return True
    if not value:
        return False
    return frozenset(int(status) for status in value)
