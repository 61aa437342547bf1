"""``tomodachi.transport.http``: the HTTP transport's names where tomodachi 0.29 had them.

Everything here is ``tomodachi_transport_http``'s own object (``Response is HttpResponse``).
"""

from __future__ import annotations

from tomodachi_transport_http import HttpException as HttpException
from tomodachi_transport_http import HttpResponse as HttpResponse
from tomodachi_transport_http import HttpTransport as HttpTransport
from tomodachi_transport_http import get_forwarded_remote_ip as get_forwarded_remote_ip
from tomodachi_transport_http import get_http_response_status as get_http_response_status
from tomodachi_transport_http import get_http_response_status_sync as get_http_response_status_sync
from tomodachi_transport_http import http as http
from tomodachi_transport_http import http_error as http_error
from tomodachi_transport_http import http_static as http_static
from tomodachi_transport_http import websocket as websocket
from tomodachi_transport_http import ws as ws

Response = HttpResponse

__all__ = [
    "HttpException",
    "HttpResponse",
    "HttpTransport",
    "Response",
    "get_forwarded_remote_ip",
    "get_http_response_status",
    "get_http_response_status_sync",
    "http",
    "http_error",
    "http_static",
    "websocket",
    "ws",
]
