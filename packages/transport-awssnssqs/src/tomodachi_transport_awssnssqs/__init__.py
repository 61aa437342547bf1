"""AWS SNS+SQS transport and standalone publisher for tomodachi services.

Errors (see ``_errors``)::

    AWSSNSSQSException
     ├── AWSSNSSQSConnectionException
     ├── AWSClientError
     │    └── QueueDoesNotExistError
     └── AWSSNSSQSInternalServiceError
          ├── AWSSNSSQSInternalServiceErrorException
          └── AWSSNSSQSInternalServiceException
"""

from .__about__ import __version__ as __version__
from ._attributes import from_response as decode_message_attributes
from ._attributes import to_botocore as encode_message_attributes
from ._client import AWSClient as AWSClient
from ._client import Client as Client
from ._client import ClientSettings as ClientSettings
from ._errors import AWSClientError as AWSClientError
from ._errors import AWSSNSSQSConnectionException as AWSSNSSQSConnectionException
from ._errors import AWSSNSSQSException as AWSSNSSQSException
from ._errors import AWSSNSSQSInternalServiceError as AWSSNSSQSInternalServiceError
from ._errors import AWSSNSSQSInternalServiceErrorException as AWSSNSSQSInternalServiceErrorException
from ._errors import AWSSNSSQSInternalServiceException as AWSSNSSQSInternalServiceException
from ._errors import QueueDoesNotExistError as QueueDoesNotExistError
from ._functions import publish as publish
from ._functions import send_message as send_message
from ._names import decode_topic as decode_topic
from ._names import encode_topic as encode_topic
from ._options import AWSEndpointURLsOptions as AWSEndpointURLsOptions
from ._options import AWSSNSSQSOptions as AWSSNSSQSOptions
from ._publish import MessageBodyFormatter as MessageBodyFormatter
from ._publish import MessageBodyFormatterContext as MessageBodyFormatterContext
from ._publish import MessageBodyFormatterProtocol as MessageBodyFormatterProtocol
from ._publish import Publisher as Publisher

__all__ = [
    "AWSClient",
    "AWSClientError",
    "AWSEndpointURLsOptions",
    "AWSSNSSQSConnectionException",
    "AWSSNSSQSException",
    "AWSSNSSQSInternalServiceError",
    "AWSSNSSQSInternalServiceErrorException",
    "AWSSNSSQSInternalServiceException",
    "AWSSNSSQSOptions",
    "Client",
    "ClientSettings",
    "MessageBodyFormatter",
    "MessageBodyFormatterContext",
    "MessageBodyFormatterProtocol",
    "Publisher",
    "QueueDoesNotExistError",
    "__version__",
    "decode_message_attributes",
    "decode_topic",
    "encode_message_attributes",
    "encode_topic",
    "publish",
    "send_message",
]
