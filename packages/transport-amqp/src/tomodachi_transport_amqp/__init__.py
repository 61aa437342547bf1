"""RabbitMQ (AMQP) transport for tomodachi services, on aioamqp."""

from .__about__ import __version__ as __version__
from ._options import AMQPOptions as AMQPOptions
from ._options import AMQPQoSOptions as AMQPQoSOptions

__all__ = ["AMQPOptions", "AMQPQoSOptions", "__version__"]
