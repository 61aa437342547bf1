"""``InMemoryBroker``: SNS+SQS and RabbitMQ in memory, on one fake clock shared with the scheduler.

It composes the transports' own fakes, ``tomodachi_transport_awssnssqs.testing.MemoryAWS`` and
``tomodachi_transport_amqp.testing.MemoryBroker``, with one ``tomodachi_scheduler.testing.FakeClock``:
``await broker.advance(seconds)`` moves SQS visibility timeouts and delays, AMQP retry delays and TTLs,
and schedules, together. While it is active (``with broker:``, or while ``run_service`` runs a service
with it) every SNS/SQS client and AMQP connection the libraries create goes to it, and the scheduler
runtimes created meanwhile read the fake clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import ExitStack, asynccontextmanager
from types import TracebackType
from typing import Any

from tomodachi_middleware.testing import settle as _settle
from tomodachi_scheduler.testing import FakeClock, set_default_clock
from tomodachi_transport_amqp import close_publishers
from tomodachi_transport_amqp.testing import BrokerMessage, MemoryBroker, use_memory_broker
from tomodachi_transport_awssnssqs.testing import MemoryAWS, PublishedMessage, QueuedMessage, use_memory_aws

from ._decode import decode_payload
from ._names import SERVICE_ENVELOPE, ServiceNames


class InMemoryBroker(ServiceNames):
    """SNS+SQS and AMQP in memory for services under test, and a fake clock.

    Names are given as the service writes them: ``sns_published("order-created")`` applies the
    ``aws_sns_sqs.topic_prefix`` of the service run with the broker (the last one attached), and the
    AMQP helpers apply ``amqp.routing_key_prefix`` and ``amqp.queue_name_prefix`` the same way.

    Args:
        clock: The fake clock; a new ``FakeClock`` when left out.

    Attributes:
        clock: The clock shared by both fakes and the scheduler (``await clock.advance(s)``).
        aws: The ``MemoryAWS`` underneath, for what this class does not wrap.
        amqp: The ``MemoryBroker`` underneath.
    """

    mode = "memory"

    def __init__(self, clock: FakeClock | None = None) -> None:
        super().__init__()
        self.clock = clock if clock is not None else FakeClock()
        self.aws = MemoryAWS(clock=self.clock)
        self.amqp = MemoryBroker(clock=self.clock)
        self._active = 0
        self._stack: ExitStack | None = None

    # The Broker seam used by run_service

    def service_options(self) -> dict[str, Any]:
        """Options for every service run with the broker: none; the fakes take every client."""
        return {}

    @asynccontextmanager
    async def activate(self) -> AsyncIterator[None]:
        """Routes clients, connections and new scheduler runtimes here for the block (nests). When
        the last activation ends, the AMQP publishers of the loop (which keep their connection to
        this broker) are closed."""
        self._enter()
        try:
            yield
        finally:
            self._exit()
            if self._active == 0:
                await close_publishers()

    def _enter(self) -> None:
        if self._active == 0:
            stack = ExitStack()
            stack.enter_context(use_memory_aws(self.aws))
            stack.enter_context(use_memory_broker(self.amqp))
            set_default_clock(self.clock)
            stack.callback(set_default_clock, None)
            self._stack = stack
        self._active += 1

    def _exit(self) -> None:
        self._active -= 1
        if self._active == 0 and self._stack is not None:
            stack, self._stack = self._stack, None
            stack.close()

    def __enter__(self) -> InMemoryBroker:
        self._enter()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._exit()

    async def __aenter__(self) -> InMemoryBroker:
        return self.__enter__()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.__exit__(kind, error, traceback)
        if self._active == 0:
            await close_publishers()

    # SNS and SQS

    def sns_published(self, topic: str) -> list[PublishedMessage]:
        """The messages published to an SNS topic, oldest first, as ``MemoryAWS.published`` gives them.

        Args:
            topic: The topic as the service names it (the topic prefix is applied).
        """
        return list(self.aws.published(self.sns_topic(topic)))

    def sns_published_data(self, topic: str, *, envelope: Any = SERVICE_ENVELOPE) -> list[Any]:
        """The data of the messages published to a topic, parsed with the service's envelope.

        Args:
            topic: The topic as the service names it.
            envelope: The envelope to parse with; default the service's ``message_envelope``
                (``None``: the payload as JSON, else as text).
        """
        chosen = self.envelope(envelope)
        return [decode_payload(item.message, chosen) for item in self.sns_published(topic)]

    def sqs_messages(self, queue: str) -> list[QueuedMessage]:
        """The messages waiting in an SQS queue (prefix applied), as ``MemoryAWS.messages`` gives them."""
        return list(self.aws.messages(self.sqs_queue(queue)))

    async def sqs_dead_letters(self, queue: str) -> list[QueuedMessage]:
        """The messages in the dead-letter queue of a handler's SQS queue (the queue as the service
        names it, prefix applied; its RedrivePolicy names the dead-letter queue), oldest first."""
        return list(self.aws.dead_letters(self.sqs_queue(queue)))

    async def sns_publish_raw(
        self, topic: str, message: str, attributes: Mapping[str, Any] | None = None
    ) -> None:
        """Publishes a message to a topic as it is, without an envelope, as another program would.

        Args:
            topic: The topic as the service names it (prefix applied).
            message: The SNS message text.
            attributes: SNS message attributes, ``{"name": "value"}`` or in the API's own form.
        """
        await self.aws.publish_raw(self.sns_topic(topic), message, dict(attributes) if attributes else None)
        await _settle()

    async def sqs_send_raw(self, queue: str, body: str, attributes: Mapping[str, Any] | None = None) -> None:
        """Sends a message straight to an SQS queue as it is (prefix applied)."""
        await self.aws.send_raw(self.sqs_queue(queue), body, dict(attributes) if attributes else None)
        await _settle()

    # AMQP

    def amqp_published(
        self, routing_key: str | None = None, exchange: str | None = None
    ) -> list[BrokerMessage]:
        """The messages published on AMQP (with this routing key, as the service writes it), oldest first."""
        key = None if routing_key is None else self.amqp_routing_key(routing_key)
        return self.amqp.published(routing_key=key, exchange=exchange)

    def amqp_published_data(self, routing_key: str, *, envelope: Any = SERVICE_ENVELOPE) -> list[Any]:
        """The data of the AMQP messages published with a routing key, parsed with the service's envelope."""
        chosen = self.envelope(envelope)
        return [decode_payload(message.body, chosen) for message in self.amqp_published(routing_key)]

    def amqp_messages(self, queue: str) -> list[BrokerMessage]:
        """The messages waiting in an AMQP queue (prefix applied)."""
        return self.amqp.messages(self.amqp_queue(queue))

    async def amqp_dead_letters(self, queue: str) -> list[BrokerMessage]:
        """The messages dead-lettered from a handler's AMQP queue (its ``queue_name``, prefix applied)."""
        return self.amqp.dead_letters(self.amqp_queue(queue))

    async def amqp_publish_raw(
        self,
        routing_key: str,
        body: bytes | str,
        *,
        exchange: str = "amq.topic",
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        """Publishes an AMQP message as it is (routing key prefixed and encoded as the service's are)."""
        await self.amqp.publish_raw(self.amqp_routing_key(routing_key), body, exchange, properties)

    async def amqp_drop_connections(self) -> int:
        """Closes every AMQP connection from the broker's side; consumers reconnect. Returns how many."""
        return await self.amqp.drop_connections()

    # Time

    async def advance(self, seconds: float) -> None:
        """Moves the fake clock ``seconds`` on: visibility timeouts, retry delays, TTLs and schedules
        whose moment comes are run, in order, before it returns."""
        await self.settle()
        await self.clock.advance(seconds)
        await _settle()

    async def settle(self) -> None:
        """Lets work already under way land, without sleeping: pending callbacks run, and the SNS+SQS
        consumers' deletes of handled messages (sent at once to the in-memory AWS) reach the queues.
        Then a handled message is no longer in ``sqs_messages``; ``advance`` settles first, so that
        moving the clock does not make handled messages visible again."""
        await _settle()

    def reset(self) -> None:
        """Forgets every topic, queue, message and connection of both fakes."""
        self.aws.reset()
        self.amqp.reset()
