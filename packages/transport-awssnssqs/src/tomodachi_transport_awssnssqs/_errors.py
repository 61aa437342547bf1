"""The errors of the SNS+SQS library, and the one place where botocore's errors are translated.

::

    AWSSNSSQSException                        every error raised here
     ├── AWSSNSSQSConnectionException         credentials or region missing, endpoint unreachable
     ├── AWSClientError                       AWS answered with an error code (``code`` attribute)
     │    └── QueueDoesNotExistError          the queue does not exist (never created by a send)
     └── AWSSNSSQSInternalServiceError        raised by a handler: keep the message for a retry
          ├── AWSSNSSQSInternalServiceErrorException
          └── AWSSNSSQSInternalServiceException

Every handler error keeps its message (it is retried after a backoff); the ``InternalServiceError``
classes exist so that 0.29 services which raise them keep working, also when the 0.29 behaviour of
deleting on other errors is switched on (``aws_sns_sqs.delete_message_on_error``).
"""

from __future__ import annotations

from typing import Any


class AWSSNSSQSException(Exception):
    """Base class of every error raised by tomodachi_transport_awssnssqs."""


class AWSSNSSQSConnectionException(AWSSNSSQSException):
    """AWS could not be reached: missing region or partial credentials, or the endpoint is down."""


class AWSClientError(AWSSNSSQSException):
    """AWS answered a request with an error.

    Attributes:
        code: AWS's error code, e.g. ``AWS.SimpleQueueService.NonExistentQueue``.
        operation: The API operation, e.g. ``SendMessage``.
    """

    def __init__(self, message: str, *, code: str = "", operation: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.operation = operation


class QueueDoesNotExistError(AWSClientError):
    """The SQS queue does not exist."""


class AWSSNSSQSInternalServiceError(AWSSNSSQSException):
    """Raised by a handler to ask that its message be kept and delivered again."""


class AWSSNSSQSInternalServiceErrorException(AWSSNSSQSInternalServiceError):
    """Same as :class:`AWSSNSSQSInternalServiceError` (a name from tomodachi 0.29)."""


class AWSSNSSQSInternalServiceException(AWSSNSSQSInternalServiceError):
    """Same as :class:`AWSSNSSQSInternalServiceError` (a name from tomodachi 0.29)."""


_QUEUE_MISSING = frozenset(
    {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "NonExistentQueue"}
)


def translate(exc: BaseException, operation: str) -> AWSSNSSQSException:
    """Return the library's error for an exception raised by aiobotocore, botocore or aiohttp.

    Args:
        exc: The foreign exception.
        operation: The API operation that raised it.

    Returns:
        The error to raise ``from exc``.
    """
    response: Any = getattr(exc, "response", None)
    if isinstance(response, dict):
        error = response.get("Error") or {}
        code = str(error.get("Code", ""))
        message = f"{operation} failed: {code}: {error.get('Message', '')}"
        kind = QueueDoesNotExistError if code in _QUEUE_MISSING else AWSClientError
        return kind(message, code=code, operation=operation)
    name = type(exc).__name__
    if name in ("NoRegionError", "NoCredentialsError", "PartialCredentialsError"):
        return AWSSNSSQSConnectionException(f"{operation}: invalid credentials or region: {exc}")
    return AWSSNSSQSConnectionException(f"{operation}: {name}: {exc}")
