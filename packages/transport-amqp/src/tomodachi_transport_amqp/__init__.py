"""RabbitMQ (AMQP) transport for tomodachi services, on aioamqp."""

from .__about__ import __version__ as __version__

__all__ = ["__version__"]
