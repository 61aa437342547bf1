"""The errors of the AMQP transport, in one tree.

::

    AmqpException                           everything this library raises
     ├── AmqpInternalServiceError           raise it from a handler to have the message handled again
     │    ├── AmqpInternalServiceErrorException
     │    └── AmqpInternalServiceException
     ├── AmqpConnectionException            the broker cannot be reached, or the connection was lost
     │    └── AmqpPublishError              amqp_publish gave up: no confirm within its attempts
     ├── AmqpChannelClosed                  the broker refused an operation and closed the channel
     │    └── AmqpExclusiveQueueLockedException   the queue is exclusive to another connection (405)
     ├── AmqpTooManyConsumersException      a non-competing queue already has its consumer
     └── AmqpConfigurationError (also ValueError)   a decorator or publish argument cannot be used

aioamqp's own errors are translated into these in one place, ``_client.py``, with
``raise ... from exc``.
"""

from __future__ import annotations

from typing import Any


class AmqpException(Exception):
    """Base of every error of the AMQP transport.

    Args:
        *args: The message, as for any exception.
        log_level: Accepted for tomodachi 0.29 compatibility; kept on ``_log_level``.
    """

    def __init__(self, *args: Any, log_level: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args)
        self._log_level = log_level or "INFO"


class AmqpInternalServiceError(AmqpException):
    """Raised by a handler: the message is handled again later instead of being acknowledged."""


class AmqpInternalServiceErrorException(AmqpInternalServiceError):
    """Another name of ``AmqpInternalServiceError``, kept from tomodachi 0.29."""


class AmqpInternalServiceException(AmqpInternalServiceError):
    """Another name of ``AmqpInternalServiceError``, kept from tomodachi 0.29."""


class AmqpConnectionException(AmqpException):
    """The broker cannot be reached, or the connection to it was lost."""


class AmqpPublishError(AmqpConnectionException):
    """A message could not be published (no confirm from the broker) within the allowed attempts."""


class AmqpChannelClosed(AmqpException):
    """The broker closed the channel, refusing an operation.

    Args:
        *args: The message.
        reply_code: The AMQP reply code (403 access refused, 404 not found, 405 locked, 406
            precondition failed); 0 when unknown.
    """

    def __init__(self, *args: Any, reply_code: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reply_code = reply_code


class AmqpExclusiveQueueLockedException(AmqpChannelClosed):
    """The queue is exclusive to another connection (reply code 405)."""


class AmqpTooManyConsumersException(AmqpException):
    """A non-competing queue already has a consumer, so a second one may not start."""


class AmqpConfigurationError(AmqpException, ValueError):
    """A decorator or publish argument cannot be used."""
