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
from ._consumer import ConsumerSettings as ConsumerSettings
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
from ._runtime import SNSSQSRuntime as SNSSQSRuntime
from ._spec import SNSSQSHandlerSpec as SNSSQSHandlerSpec
from ._spec import aws_sns_sqs as aws_sns_sqs
from ._spec import awssnssqs as awssnssqs
from ._transport import AWS_SNS_SQS_TRANSPORT as AWS_SNS_SQS_TRANSPORT
from ._transport import AWSSNSSQSTransport as AWSSNSSQSTransport

__all__ = [
    "AWS_SNS_SQS_TRANSPORT",
    "AWSClient",
    "AWSClientError",
    "AWSEndpointURLsOptions",
    "AWSSNSSQSConnectionException",
    "AWSSNSSQSException",
    "AWSSNSSQSInternalServiceError",
    "AWSSNSSQSInternalServiceErrorException",
    "AWSSNSSQSInternalServiceException",
    "AWSSNSSQSOptions",
    "AWSSNSSQSTransport",
    "Client",
    "ClientSettings",
    "ConsumerSettings",
    "MessageBodyFormatter",
    "MessageBodyFormatterContext",
    "MessageBodyFormatterProtocol",
    "Publisher",
    "QueueDoesNotExistError",
    "SNSSQSHandlerSpec",
    "SNSSQSRuntime",
    "__version__",
    "aws_sns_sqs",
    "awssnssqs",
    "decode_message_attributes",
    "decode_topic",
    "encode_message_attributes",
    "encode_topic",
    "publish",
    "send_message",
]
