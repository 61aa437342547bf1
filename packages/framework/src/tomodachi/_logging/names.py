"""The logger names that the framework and its libraries write under.

The transport libraries log through stdlib ``logging`` under the same names; the facade formats
their records and its own alike. A record's fields travel in its ``CONTEXT_ATTRIBUTE`` attribute.
"""

from __future__ import annotations

SERVICE = "tomodachi.service"
LIFECYCLE = "tomodachi.lifecycle"
LIFECYCLE_HANDLER = "tomodachi.lifecycle.handler"
EVENT = "tomodachi.event"
INIT = "tomodachi.init"
IMPORTER = "tomodachi.importer"
WATCHER = "tomodachi.watcher"
SIGNAL = "tomodachi.signal"
EXIT = "tomodachi.exit"
SETUP = "tomodachi.setup"
INVOKER = "tomodachi.invoker"
TEARDOWN = "tomodachi.teardown"
HTTP = "tomodachi.http"
HTTP_HANDLER = "tomodachi.http.handler"
HTTP_MIDDLEWARE = "tomodachi.http.middleware"
HTTP_RESPONSE = "tomodachi.http.response"
HTTP_WEBSOCKET = "tomodachi.http.websocket"
AWSSNSSQS = "tomodachi.awssnssqs"
AWSSNSSQS_HANDLER = "tomodachi.awssnssqs.handler"
AWSSNSSQS_MIDDLEWARE = "tomodachi.awssnssqs.middleware"
AMQP = "tomodachi.amqp"
AMQP_HANDLER = "tomodachi.amqp.handler"
AMQP_MIDDLEWARE = "tomodachi.amqp.middleware"
SCHEDULER = "tomodachi.scheduler"
SCHEDULE_HANDLER = "tomodachi.schedule.handler"
SCHEDULE_MIDDLEWARE = "tomodachi.schedule.middleware"
DISCOVERY = "tomodachi.discovery"
ENVELOPE = "tomodachi.envelope"
OPENTELEMETRY = "tomodachi.opentelemetry"

EXCEPTION = "exception"
"""Every uncaught error is written here, at level error, as ``uncaught exception: <str(exc)>``."""

DEFAULT_LOGGER_NAME = SERVICE
"""What ``get_logger()`` returns when no logger has been bound to the current context."""

LOGGER_NAMES = (
    SERVICE,
    LIFECYCLE,
    LIFECYCLE_HANDLER,
    EVENT,
    INIT,
    IMPORTER,
    WATCHER,
    SIGNAL,
    EXIT,
    SETUP,
    INVOKER,
    TEARDOWN,
    HTTP,
    HTTP_HANDLER,
    HTTP_MIDDLEWARE,
    HTTP_RESPONSE,
    HTTP_WEBSOCKET,
    AWSSNSSQS,
    AWSSNSSQS_HANDLER,
    AWSSNSSQS_MIDDLEWARE,
    AMQP,
    AMQP_HANDLER,
    AMQP_MIDDLEWARE,
    SCHEDULER,
    SCHEDULE_HANDLER,
    SCHEDULE_MIDDLEWARE,
    DISCOVERY,
    ENVELOPE,
    OPENTELEMETRY,
    EXCEPTION,
)

CONTEXT_ATTRIBUTE = "logger.context"
"""The ``LogRecord`` attribute that carries a structured event's fields (``logger`` first)."""

QUIET_LOGGERS = (
    "aiohttp.access",
    "aioamqp.protocol",
    "aioamqp.channel",
    "botocore.vendored.requests.packages.urllib3.connectionpool",
)
"""Third-party loggers that ``configure`` sets to WARNING: their info lines repeat ours."""
