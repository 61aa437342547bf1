"""``tomodachi.transport.aws_sns_sqs``: the SNS+SQS transport's names where tomodachi 0.29 had them.

Everything here is ``tomodachi_transport_awssnssqs``'s own object; ``tomodachi.transport.awssnssqs``
is the same module.
"""

from __future__ import annotations

from tomodachi_transport_awssnssqs import AWSSNSSQSConnectionException as AWSSNSSQSConnectionException
from tomodachi_transport_awssnssqs import AWSSNSSQSException as AWSSNSSQSException
from tomodachi_transport_awssnssqs import AWSSNSSQSInternalServiceError as AWSSNSSQSInternalServiceError
from tomodachi_transport_awssnssqs import (
    AWSSNSSQSInternalServiceErrorException as AWSSNSSQSInternalServiceErrorException,
)
from tomodachi_transport_awssnssqs import (
    AWSSNSSQSInternalServiceException as AWSSNSSQSInternalServiceException,
)
from tomodachi_transport_awssnssqs import AWSSNSSQSTransport as AWSSNSSQSTransport
from tomodachi_transport_awssnssqs import MessageBodyFormatter as MessageBodyFormatter
from tomodachi_transport_awssnssqs import MessageBodyFormatterContext as MessageBodyFormatterContext
from tomodachi_transport_awssnssqs import QueueDoesNotExistError as QueueDoesNotExistError
from tomodachi_transport_awssnssqs import aws_sns_sqs as aws_sns_sqs
from tomodachi_transport_awssnssqs import awssnssqs as awssnssqs
from tomodachi_transport_awssnssqs import publish as publish
from tomodachi_transport_awssnssqs import send_message as send_message
from tomodachi_transport_awssnssqs._envelopes import DEFAULT

aws_sns_sqs_publish = awssnssqs_publish = sns_publish = publish
aws_sns_sqs_send_message = awssnssqs_send_message = sqs_send_message = send_message

# 0.29's sentinels of arguments that were not given; here they are one object.
MESSAGE_ENVELOPE_DEFAULT = MESSAGE_PROTOCOL_DEFAULT = MESSAGE_TOPIC_PREFIX = QUEUE_NAME_PREFIX = DEFAULT
FILTER_POLICY_DEFAULT = VISIBILITY_TIMEOUT_DEFAULT = DEAD_LETTER_QUEUE_DEFAULT = MAX_RECEIVE_COUNT_DEFAULT = (
    DEFAULT
)
DRAIN_MESSAGE_PAYLOAD = "__TOMODACHI_DRAIN__cdab4416-1727-4603-87c9-0ff8dddf1f22__"

__all__ = [
    "DEAD_LETTER_QUEUE_DEFAULT",
    "DRAIN_MESSAGE_PAYLOAD",
    "FILTER_POLICY_DEFAULT",
    "MAX_RECEIVE_COUNT_DEFAULT",
    "MESSAGE_ENVELOPE_DEFAULT",
    "MESSAGE_PROTOCOL_DEFAULT",
    "MESSAGE_TOPIC_PREFIX",
    "QUEUE_NAME_PREFIX",
    "VISIBILITY_TIMEOUT_DEFAULT",
    "AWSSNSSQSConnectionException",
    "AWSSNSSQSException",
    "AWSSNSSQSInternalServiceError",
    "AWSSNSSQSInternalServiceErrorException",
    "AWSSNSSQSInternalServiceException",
    "AWSSNSSQSTransport",
    "MessageBodyFormatter",
    "MessageBodyFormatterContext",
    "QueueDoesNotExistError",
    "aws_sns_sqs",
    "aws_sns_sqs_publish",
    "aws_sns_sqs_send_message",
    "awssnssqs",
    "awssnssqs_publish",
    "awssnssqs_send_message",
    "publish",
    "send_message",
    "sns_publish",
    "sqs_send_message",
]
