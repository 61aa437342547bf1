"""HTTP and websocket transport for tomodachi services, on aiohttp.

The decorators (``http``, ``http_error``, ``http_static``, ``websocket``) record handler specs
on a service's methods; the framework hands them to the transport, whose runtime serves them on
aiohttp's low-level server. Errors form one tree::

    HttpException                 anything the HTTP transport refuses or cannot do
    ├── HttpBindError             the server cannot listen on its host and port
    ├── HttpAccessLogError        the access-log file cannot be opened
    └── HttpConfigurationError    invalid options or handler definitions (also a ValueError)
"""

from typing import TYPE_CHECKING, Any

from .__about__ import __version__ as __version__
from ._errors import HttpAccessLogError as HttpAccessLogError
from ._errors import HttpBindError as HttpBindError
from ._errors import HttpConfigurationError as HttpConfigurationError
from ._errors import HttpException as HttpException
from ._options import HTTPOptions as HTTPOptions
from ._specs import TRANSPORT as TRANSPORT
from ._specs import HttpHandlerSpec as HttpHandlerSpec
from ._specs import HttpTransport as HttpTransport
from ._specs import http as http
from ._specs import http_error as http_error
from ._specs import http_static as http_static
from ._specs import websocket as websocket
from ._specs import ws as ws

if TYPE_CHECKING:
    from ._remote_ip import get_forwarded_remote_ip as get_forwarded_remote_ip
    from ._responses import HttpResponse as HttpResponse
    from ._responses import HttpResponse as Response
    from ._runtime import HttpRuntime as HttpRuntime
    from ._status import get_http_response_status as get_http_response_status
    from ._status import get_http_response_status_sync as get_http_response_status_sync

# The names that need aiohttp, imported on first use: the options and the decorators do not need
# it, so that a framework reading HTTPOptions does not load an HTTP server it may never start.
_LAZY = {
    "HttpResponse": ("._responses", "HttpResponse"),
    "Response": ("._responses", "HttpResponse"),
    "HttpRuntime": ("._runtime", "HttpRuntime"),
    "get_forwarded_remote_ip": ("._remote_ip", "get_forwarded_remote_ip"),
    "get_http_response_status": ("._status", "get_http_response_status"),
    "get_http_response_status_sync": ("._status", "get_http_response_status_sync"),
}


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(target[0], __name__), target[1])
    globals()[name] = value
    return value


__all__ = [
    "TRANSPORT",
    "HTTPOptions",
    "HttpAccessLogError",
    "HttpBindError",
    "HttpConfigurationError",
    "HttpException",
    "HttpHandlerSpec",
    "HttpResponse",
    "HttpRuntime",
    "HttpTransport",
    "Response",
    "__version__",
    "get_forwarded_remote_ip",
    "get_http_response_status",
    "get_http_response_status_sync",
    "http",
    "http_error",
    "http_static",
    "websocket",
    "ws",
]
