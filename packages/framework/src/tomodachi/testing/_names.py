"""What both broker switches share: names as the service writes them, and decoded views."""

from __future__ import annotations

from typing import Any

from tomodachi_transport_amqp.testing import BrokerMessage
from tomodachi_transport_awssnssqs.testing import QueuedMessage

from ._decode import decode_payload, envelope_of

SERVICE_ENVELOPE: Any = object()
"""The default of the ``envelope`` arguments: the envelope of the service run with the broker."""


class ServiceNames:
    """Prefixes and envelope taken from the services run with a broker (the last attached wins)."""

    def __init__(self) -> None:
        self.services: list[Any] = []

    def attach(self, instance: Any) -> None:
        """Remembers a service run with the broker, for its prefixes and envelope."""
        self.services.append(instance)

    def _option(self, section: str, key: str) -> str:
        for instance in reversed(self.services):
            value = getattr(getattr(getattr(instance, "options", None), section, None), key, None)
            if isinstance(value, str):
                return value
        return ""

    def envelope(self, envelope: Any = SERVICE_ENVELOPE) -> Any:
        """``envelope`` itself when given, else the envelope of the last service attached (or ``None``)."""
        if envelope is not SERVICE_ENVELOPE:
            return envelope
        return envelope_of(self.services[-1]) if self.services else None

    def sns_topic(self, topic: str) -> str:
        """The topic's SNS name: the service's ``aws_sns_sqs.topic_prefix`` in front."""
        return self._option("aws_sns_sqs", "topic_prefix") + topic

    def sqs_queue(self, queue: str) -> str:
        """The queue's SQS name: the service's ``aws_sns_sqs.queue_name_prefix`` in front."""
        return self._option("aws_sns_sqs", "queue_name_prefix") + queue

    def amqp_routing_key(self, routing_key: str) -> str:
        """The routing key as sent: the service's ``amqp.routing_key_prefix`` in front, encoded."""
        from tomodachi_transport_amqp import encode_routing_key

        return encode_routing_key(self._option("amqp", "routing_key_prefix") + routing_key)

    def amqp_queue(self, queue: str) -> str:
        """The queue's name: the service's ``amqp.queue_name_prefix`` in front."""
        return self._option("amqp", "queue_name_prefix") + queue

    async def sqs_dead_letters(self, queue: str) -> list[QueuedMessage]:
        """The messages in the dead-letter queue of a handler's SQS queue."""
        raise NotImplementedError

    async def amqp_dead_letters(self, queue: str) -> list[BrokerMessage]:
        """The messages dead-lettered from a handler's AMQP queue."""
        raise NotImplementedError

    async def sqs_dead_letter_data(self, queue: str, *, envelope: Any = SERVICE_ENVELOPE) -> list[Any]:
        """The data of the messages in the dead-letter queue of a handler's SQS queue.

        Args:
            queue: The handler's queue as the service names it (prefix applied).
            envelope: The envelope to parse with; default the service's ``message_envelope``
                (``None``: each payload as JSON, else as text).

        Returns:
            The data, oldest message first.
        """
        chosen = self.envelope(envelope)
        return [decode_payload(message.message, chosen) for message in await self.sqs_dead_letters(queue)]

    async def amqp_dead_letter_data(self, queue: str, *, envelope: Any = SERVICE_ENVELOPE) -> list[Any]:
        """The data of the messages dead-lettered from a handler's AMQP queue; as ``sqs_dead_letter_data``."""
        chosen = self.envelope(envelope)
        return [decode_payload(message.body, chosen) for message in await self.amqp_dead_letters(queue)]
