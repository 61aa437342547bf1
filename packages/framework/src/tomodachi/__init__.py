"""tomodachi: microservices on asyncio, composed from the tomodachi-* libraries.

``import tomodachi`` gives the service API: ``tomodachi.Service``, the transport decorators
(``http``, ``aws_sns_sqs``, ``amqp``, ``schedule``, ...), publish functions, ``Options``, logging,
lifecycle helpers. Transport names are loaded on first use, so a service only imports the transport
libraries it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tomodachi_middleware import decorator as decorator

from .__about__ import __version__ as __version__
from ._contextvars import context as context
from ._contextvars import get_contextvar as get_contextvar
from ._entry import run as run
from ._execution_context import _clear_execution_context as _clear_execution_context
from ._execution_context import _clear_services as _clear_services
from ._execution_context import _set_service as _set_service
from ._execution_context import _unset_service as _unset_service
from ._execution_context import decrease_execution_context_value as decrease_execution_context_value
from ._execution_context import get_execution_context as get_execution_context
from ._execution_context import get_instance as get_instance
from ._execution_context import get_service as get_service
from ._execution_context import get_services as get_services
from ._execution_context import increase_execution_context_value as increase_execution_context_value
from ._execution_context import set_execution_context as set_execution_context
from ._exit import exit as exit
from ._service import CLASS_ATTRIBUTE as CLASS_ATTRIBUTE
from ._service import TOMODACHI_CLASSES as TOMODACHI_CLASSES
from ._service import Service as Service
from ._service import TomodachiServiceMeta as TomodachiServiceMeta
from ._service import service as service
from .logging import Logger as Logger
from .logging import LoggerProtocol as LoggerProtocol
from .logging import get_logger as get_logger
from .options import Options as Options
from .options import OptionsInterface as OptionsInterface


def _version_info(version: str) -> tuple[int | str, ...]:
    # "0.30.0" -> (0, 30, 0); "0.30.1rc1" -> (0, 30, 1, "rc1"), as tomodachi numbered its versions.
    parts: list[int | str] = []
    for part in version.split("."):
        digits = len(part) - len(part.lstrip("0123456789"))
        if digits:
            parts.append(int(part[:digits]))
        if part[digits:]:
            parts.append(part[digits:])
    return tuple(parts)


__version_info__: tuple[int | str, ...] = _version_info(__version__)
# Wheels of this project do not record when they were built.
__build_time__: str = ""
__author__: str = "tomodachi contributors"
__email__: str = ""

DEFAULT_SERVICE_EXIT_CODE: int = 0
# The process exits with this code; tomodachi.exit(N) sets it, and service code may assign it.
SERVICE_EXIT_CODE: int = DEFAULT_SERVICE_EXIT_CODE

# Names served by the transport libraries, imported when first used: name -> (module, attribute).
_LAZY: dict[str, tuple[str, str]] = {
    "http": ("tomodachi_transport_http", "http"),
    "http_error": ("tomodachi_transport_http", "http_error"),
    "http_static": ("tomodachi_transport_http", "http_static"),
    "websocket": ("tomodachi_transport_http", "websocket"),
    "ws": ("tomodachi_transport_http", "ws"),
    "HttpResponse": ("tomodachi_transport_http", "HttpResponse"),
    "HttpException": ("tomodachi_transport_http", "HttpException"),
    "get_http_response_status": ("tomodachi_transport_http", "get_http_response_status"),
    "get_http_response_status_sync": ("tomodachi_transport_http", "get_http_response_status_sync"),
    "get_forwarded_remote_ip": ("tomodachi_transport_http", "get_forwarded_remote_ip"),
    "schedule": ("tomodachi_scheduler", "schedule"),
    "scheduler": ("tomodachi_scheduler", "scheduler"),
    "heartbeat": ("tomodachi_scheduler", "heartbeat"),
    "every_second": ("tomodachi_scheduler", "every_second"),
    "minutely": ("tomodachi_scheduler", "minutely"),
    "hourly": ("tomodachi_scheduler", "hourly"),
    "daily": ("tomodachi_scheduler", "daily"),
    "monthly": ("tomodachi_scheduler", "monthly"),
    "amqp": ("tomodachi_transport_amqp", "amqp"),
    "amqp_publish": ("tomodachi_transport_amqp", "amqp_publish"),
    "aws_sns_sqs": ("tomodachi_transport_awssnssqs", "aws_sns_sqs"),
    "awssnssqs": ("tomodachi_transport_awssnssqs", "awssnssqs"),
    "aws_sns_sqs_publish": ("tomodachi_transport_awssnssqs", "publish"),
    "awssnssqs_publish": ("tomodachi_transport_awssnssqs", "publish"),
    "sns_publish": ("tomodachi_transport_awssnssqs", "publish"),
    "aws_sns_sqs_send_message": ("tomodachi_transport_awssnssqs", "send_message"),
    "awssnssqs_send_message": ("tomodachi_transport_awssnssqs", "send_message"),
    "sqs_send_message": ("tomodachi_transport_awssnssqs", "send_message"),
}

if TYPE_CHECKING:  # what type checkers see of the names above
    from tomodachi_scheduler import daily as daily
    from tomodachi_scheduler import every_second as every_second
    from tomodachi_scheduler import heartbeat as heartbeat
    from tomodachi_scheduler import hourly as hourly
    from tomodachi_scheduler import minutely as minutely
    from tomodachi_scheduler import monthly as monthly
    from tomodachi_scheduler import schedule as schedule
    from tomodachi_scheduler import scheduler as scheduler
    from tomodachi_transport_amqp import amqp as amqp
    from tomodachi_transport_amqp import amqp_publish as amqp_publish
    from tomodachi_transport_awssnssqs import aws_sns_sqs as aws_sns_sqs
    from tomodachi_transport_awssnssqs import awssnssqs as awssnssqs
    from tomodachi_transport_awssnssqs import publish as aws_sns_sqs_publish
    from tomodachi_transport_awssnssqs import publish as awssnssqs_publish
    from tomodachi_transport_awssnssqs import publish as sns_publish
    from tomodachi_transport_awssnssqs import send_message as aws_sns_sqs_send_message
    from tomodachi_transport_awssnssqs import send_message as awssnssqs_send_message
    from tomodachi_transport_awssnssqs import send_message as sqs_send_message
    from tomodachi_transport_http import HttpException as HttpException
    from tomodachi_transport_http import HttpResponse as HttpResponse
    from tomodachi_transport_http import get_forwarded_remote_ip as get_forwarded_remote_ip
    from tomodachi_transport_http import get_http_response_status as get_http_response_status
    from tomodachi_transport_http import get_http_response_status_sync as get_http_response_status_sync
    from tomodachi_transport_http import http as http
    from tomodachi_transport_http import http_error as http_error
    from tomodachi_transport_http import http_static as http_static
    from tomodachi_transport_http import websocket as websocket
    from tomodachi_transport_http import ws as ws

# Sub-modules reachable as attributes (``tomodachi.invoker.Invoker``), imported when first used.
_SUBMODULES = frozenset(
    {
        "cli",
        "discovery",
        "envelope",
        "helpers",
        "invoker",
        "logging",
        "options",
        "protocol",
        "transport",
        "validation",
    }
)


def __getattr__(name: str) -> Any:
    import importlib

    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'tomodachi' has no attribute {name!r}")
    value = getattr(importlib.import_module(target[0]), target[1])
    globals()[name] = value
    return value


__all__ = [
    "CLASS_ATTRIBUTE",
    "DEFAULT_SERVICE_EXIT_CODE",
    "SERVICE_EXIT_CODE",
    "TOMODACHI_CLASSES",
    "HttpException",
    "HttpResponse",
    "Logger",
    "LoggerProtocol",
    "Options",
    "OptionsInterface",
    "Service",
    "TomodachiServiceMeta",
    "__author__",
    "__build_time__",
    "__email__",
    "__version__",
    "__version_info__",
    "amqp",
    "amqp_publish",
    "aws_sns_sqs",
    "aws_sns_sqs_publish",
    "aws_sns_sqs_send_message",
    "awssnssqs",
    "awssnssqs_publish",
    "awssnssqs_send_message",
    "cli",
    "context",
    "daily",
    "decorator",
    "decrease_execution_context_value",
    "discovery",
    "envelope",
    "every_second",
    "exit",
    "get_contextvar",
    "get_execution_context",
    "get_forwarded_remote_ip",
    "get_http_response_status",
    "get_http_response_status_sync",
    "get_instance",
    "get_logger",
    "get_service",
    "get_services",
    "heartbeat",
    "helpers",
    "hourly",
    "http",
    "http_error",
    "http_static",
    "increase_execution_context_value",
    "invoker",
    "logging",
    "minutely",
    "monthly",
    "options",
    "protocol",
    "run",
    "schedule",
    "scheduler",
    "service",
    "set_execution_context",
    "sns_publish",
    "sqs_send_message",
    "transport",
    "validation",
    "websocket",
    "ws",
]
