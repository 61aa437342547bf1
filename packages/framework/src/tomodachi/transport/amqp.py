"""``tomodachi.transport.amqp``: the AMQP transport's names where tomodachi 0.29 had them.

Everything here is ``tomodachi_transport_amqp``'s own object (``publish is amqp_publish``).
"""

from __future__ import annotations

from tomodachi_transport_amqp import MESSAGE_ENVELOPE_DEFAULT as MESSAGE_ENVELOPE_DEFAULT
from tomodachi_transport_amqp import MESSAGE_ROUTING_KEY_PREFIX as MESSAGE_ROUTING_KEY_PREFIX
from tomodachi_transport_amqp import AmqpChannelClosed as AmqpChannelClosed
from tomodachi_transport_amqp import AmqpConnectionException as AmqpConnectionException
from tomodachi_transport_amqp import AmqpException as AmqpException
from tomodachi_transport_amqp import AmqpExclusiveQueueLockedException as AmqpExclusiveQueueLockedException
from tomodachi_transport_amqp import AmqpInternalServiceError as AmqpInternalServiceError
from tomodachi_transport_amqp import AmqpInternalServiceErrorException as AmqpInternalServiceErrorException
from tomodachi_transport_amqp import AmqpInternalServiceException as AmqpInternalServiceException
from tomodachi_transport_amqp import AmqpTooManyConsumersException as AmqpTooManyConsumersException
from tomodachi_transport_amqp import AmqpTransport as AmqpTransport
from tomodachi_transport_amqp import amqp as amqp
from tomodachi_transport_amqp import amqp_publish as amqp_publish
from tomodachi_transport_amqp import publish as publish

MESSAGE_PROTOCOL_DEFAULT = MESSAGE_ENVELOPE_DEFAULT

__all__ = [
    "MESSAGE_ENVELOPE_DEFAULT",
    "MESSAGE_PROTOCOL_DEFAULT",
    "MESSAGE_ROUTING_KEY_PREFIX",
    "AmqpChannelClosed",
    "AmqpConnectionException",
    "AmqpException",
    "AmqpExclusiveQueueLockedException",
    "AmqpInternalServiceError",
    "AmqpInternalServiceErrorException",
    "AmqpInternalServiceException",
    "AmqpTooManyConsumersException",
    "AmqpTransport",
    "amqp",
    "amqp_publish",
    "publish",
]
