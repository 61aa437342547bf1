"""RabbitMQ (AMQP) transport for tomodachi services, on aioamqp.

``amqp(routing_key, ...)`` marks a service method as the handler of the messages published with a
matching routing key; ``amqp_publish(service, data, routing_key=...)`` publishes and returns once
the broker has confirmed. Exchanges, queue names and queue arguments are tomodachi 0.29's, so
services on both share queues. A handler that raises does not lose its message: it comes back
after a growing delay and, after its last attempt, lands in the queue's dead-letter queue.

Errors::

    AmqpException
     ├── AmqpInternalServiceError (+ AmqpInternalServiceErrorException, AmqpInternalServiceException)
     ├── AmqpConnectionException
     │    └── AmqpPublishError
     ├── AmqpChannelClosed
     │    └── AmqpExclusiveQueueLockedException
     ├── AmqpTooManyConsumersException
     └── AmqpConfigurationError (also ValueError)
"""

from .__about__ import __version__ as __version__
from ._errors import AmqpChannelClosed as AmqpChannelClosed
from ._errors import AmqpConfigurationError as AmqpConfigurationError
from ._errors import AmqpConnectionException as AmqpConnectionException
from ._errors import AmqpException as AmqpException
from ._errors import AmqpExclusiveQueueLockedException as AmqpExclusiveQueueLockedException
from ._errors import AmqpInternalServiceError as AmqpInternalServiceError
from ._errors import AmqpInternalServiceErrorException as AmqpInternalServiceErrorException
from ._errors import AmqpInternalServiceException as AmqpInternalServiceException
from ._errors import AmqpPublishError as AmqpPublishError
from ._errors import AmqpTooManyConsumersException as AmqpTooManyConsumersException
from ._failures import ATTEMPTS_HEADER as ATTEMPTS_HEADER
from ._failures import ERROR_HEADER as ERROR_HEADER
from ._naming import decode_routing_key as decode_routing_key
from ._naming import encode_routing_key as encode_routing_key
from ._naming import queue_name as queue_name
from ._options import AMQPOptions as AMQPOptions
from ._options import AMQPQoSOptions as AMQPQoSOptions
from ._spec import MESSAGE_ENVELOPE_DEFAULT as MESSAGE_ENVELOPE_DEFAULT
from ._spec import MESSAGE_ROUTING_KEY_PREFIX as MESSAGE_ROUTING_KEY_PREFIX
from ._spec import AmqpHandlerSpec as AmqpHandlerSpec
from ._spec import AmqpTransport as AmqpTransport
from ._spec import RetryPolicy as RetryPolicy
from ._spec import amqp as amqp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._publish import amqp_publish as amqp_publish
    from ._publish import amqp_publish as publish
    from ._publisher import close_publishers as close_publishers
    from ._runtime import AmqpRuntime as AmqpRuntime

# Names that need aioamqp, imported on first use: ``import tomodachi`` reads this package's options
# section and must not load the broker client.
_LAZY = {
    "amqp_publish": ("._publish", "amqp_publish"),
    "publish": ("._publish", "amqp_publish"),
    "close_publishers": ("._publisher", "close_publishers"),
    "AmqpRuntime": ("._runtime", "AmqpRuntime"),
}


def __getattr__(name: str) -> object:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'tomodachi_transport_amqp' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(target[0], __name__), target[1])
    globals()[name] = value
    return value


__all__ = [
    "ATTEMPTS_HEADER",
    "ERROR_HEADER",
    "MESSAGE_ENVELOPE_DEFAULT",
    "MESSAGE_ROUTING_KEY_PREFIX",
    "AMQPOptions",
    "AMQPQoSOptions",
    "AmqpChannelClosed",
    "AmqpConfigurationError",
    "AmqpConnectionException",
    "AmqpException",
    "AmqpExclusiveQueueLockedException",
    "AmqpHandlerSpec",
    "AmqpInternalServiceError",
    "AmqpInternalServiceErrorException",
    "AmqpInternalServiceException",
    "AmqpPublishError",
    "AmqpRuntime",
    "AmqpTooManyConsumersException",
    "AmqpTransport",
    "RetryPolicy",
    "__version__",
    "amqp",
    "amqp_publish",
    "close_publishers",
    "decode_routing_key",
    "encode_routing_key",
    "publish",
    "queue_name",
]
