"""The decorators: each records a handler spec on the function and returns it unchanged."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from tomodachi_middleware import register_handler

if TYPE_CHECKING:
    from ._runtime import HttpRuntime

F = TypeVar("F", bound=Callable[..., Any])
Kind = Literal["route", "error", "static", "websocket"]
IgnoreLogging = bool | Sequence[int]


class HttpTransport:
    """The HTTP transport, as the framework sees it: a name and a runtime per service."""

    @property
    def name(self) -> str:
        return "http"

    def create_runtime(self, service: Any, specs: Sequence[Any]) -> HttpRuntime:
        """Creates the runtime that serves ``specs`` for ``service``.

        Args:
            service: The service instance; its ``options.http`` and ``http_middleware`` are read.
            specs: The ``HttpHandlerSpec`` of the service's handlers, in definition order.

        Returns:
            The runtime, not started yet.
        """
        from ._runtime import HttpRuntime

        return HttpRuntime(service, specs)

    def __repr__(self) -> str:
        return "<HttpTransport>"


TRANSPORT = HttpTransport()


@dataclass(frozen=True, slots=True)
class HttpHandlerSpec:
    """What a decorator recorded: the kind of handler, its function and its arguments."""

    kind: Kind
    func: Callable[..., Any]
    url: str = ""
    methods: tuple[str, ...] = ()
    status_code: int = 0
    path: str = ""
    ignore_logging: IgnoreLogging = False
    pre_handler_func: Callable[..., Any] | None = None

    @property
    def transport(self) -> HttpTransport:
        return TRANSPORT


def _register(spec_args: dict[str, Any], kind: Kind) -> Callable[[F], F]:
    def mark(func: F) -> F:
        register_handler(func, HttpHandlerSpec(kind=kind, func=func, **spec_args))
        return func

    return mark


def http(
    method: str | Sequence[str],
    url: str,
    *,
    ignore_logging: IgnoreLogging = False,
    pre_handler_func: Callable[..., Any] | None = None,
) -> Callable[[F], F]:
    """Routes requests with ``method`` on paths that fully match the regular expression ``url``.

    Named groups of ``url`` are passed to the handler as keywords it declares; a GET route also
    answers HEAD.

    Args:
        method: An HTTP method, or several.
        url: A regular expression matched against the whole decoded path.
        ignore_logging: ``True`` leaves the route's requests out of the access log; a list of
            status codes leaves out only those.
        pre_handler_func: Awaited as ``pre_handler_func(service, request)`` before the handler.

    Returns:
        The decorator, which returns the function unchanged.
    """
    methods = (method,) if isinstance(method, str) else tuple(method)
    return _register(
        {
            "url": url,
            "methods": tuple(m.upper() for m in methods),
            "ignore_logging": ignore_logging,
            "pre_handler_func": pre_handler_func,
        },
        "route",
    )


def http_error(status_code: int) -> Callable[[F], F]:
    """Answers requests that would end with ``status_code`` (404, 405, 413, a raised 403, 500, ...).

    Args:
        status_code: The HTTP status the handler answers for; it also receives ``status_code``.

    Returns:
        The decorator, which returns the function unchanged.
    """
    return _register({"status_code": int(status_code)}, "error")


def http_static(path: str, url: str, *, ignore_logging: IgnoreLogging = False) -> Callable[[F], F]:
    """Serves the files under the folder ``path`` on GET and HEAD below the base ``url``.

    Nothing outside ``path`` can be reached: ``..``, encoded dots, absolute names and symlinks
    that lead out are answered with 404. The decorated function is not called.

    Args:
        path: The folder; a relative one is read from the folder of the service's file.
        url: The base regular expression; the file name is what follows it (or the named group
            ``filename`` when ``url`` has one).
        ignore_logging: As for ``http``.

    Returns:
        The decorator, which returns the function unchanged.
    """
    return _register({"url": url, "path": path, "ignore_logging": ignore_logging}, "static")


def websocket(url: str) -> Callable[[F], F]:
    """Accepts websocket connections on paths that fully match the regular expression ``url``.

    The handler receives ``websocket`` (and ``request``, and named groups) and returns
    ``(receive, close)``, ``(receive,)``, ``receive`` or nothing: ``receive(data)`` is awaited for
    every frame and ``close()`` when the connection ends.

    Args:
        url: A regular expression matched against the whole decoded path.

    Returns:
        The decorator, which returns the function unchanged.
    """
    return _register({"url": url, "methods": ("GET",)}, "websocket")


ws = websocket
