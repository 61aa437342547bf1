"""``MemoryBroker``: a RabbitMQ in memory that the library's runtime and publisher run against.

``use_memory_broker(broker)`` has every connection the library opens meanwhile (consumers,
``amqp_publish``, the retry and dead-letter copies) go to ``broker``. Its inspection helpers show
what was published and what waits in a queue; ``drop_connections`` closes every connection as
``rabbitmqctl close_all_connections`` does; with a fake clock ``advance`` moves time on, so retry
delays and message TTLs pass at once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

from tomodachi_middleware.testing import Clock, LoopClock, settle
from tomodachi_transport_amqp._client import set_connection_factory
from tomodachi_transport_amqp._errors import AmqpConnectionException
from tomodachi_transport_amqp._naming import dead_letter_queue_name
from tomodachi_transport_amqp._values import Settings

from ._memory_client import MemoryConnection
from ._memory_core import BrokerCore
from ._memory_model import BrokerMessage, Refused


class MemoryBroker:
    """An in-memory RabbitMQ: exchanges, durable queues, bindings, consumers, TTLs, dead-lettering.

    Args:
        clock: Where message TTLs are timed: any object with ``time() -> float`` and
            ``async sleep_until(moment)`` (``tomodachi_scheduler.testing.FakeClock`` fits); the
            running loop's clock when left out.
    """

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock if clock is not None else LoopClock()
        self._core = BrokerCore(self.clock)

    async def connect(self, settings: Settings | None = None, name: str = "") -> MemoryConnection:
        """Open a connection to this broker (what the library's ``connect`` does meanwhile).

        Args:
            settings: The connection settings (kept on the connection; any are accepted).
            name: The connection's name, as ``connection_names`` lists it.

        Returns:
            The open connection.

        Raises:
            AmqpConnectionException: the broker is stopped.
        """
        settings = settings or Settings()
        if not self._core.accepting:
            raise AmqpConnectionException(
                f"connecting to amqp://{settings.address}{settings.virtualhost}: ConnectionRefusedError: "
                f"the memory broker is stopped"
            )
        connection = MemoryConnection(self._core, settings, name)
        self._core.connections.append(connection)
        return connection

    # -- inspection ----------------------------------------------------------------------------

    def published(self, routing_key: str | None = None, exchange: str | None = None) -> list[BrokerMessage]:
        """Return every message published (not dead-lettered by the broker), in order.

        Args:
            routing_key: Only those published with this routing key.
            exchange: Only those published to this exchange (``""`` for the default exchange).

        Returns:
            The messages, with body, exchange, routing key and properties.
        """
        return [
            message
            for message in self._core.published
            if (routing_key is None or message.routing_key == routing_key)
            and (exchange is None or message.exchange == exchange)
        ]

    def messages(self, queue: str) -> list[BrokerMessage]:
        """Return the messages waiting in ``queue`` (not those delivered and unacknowledged).

        Args:
            queue: The queue's name.

        Returns:
            Its ready messages, head first.

        Raises:
            KeyError: there is no such queue.
        """
        found = self._core.queues.get(queue)
        if found is None:
            raise KeyError(f"no queue {queue!r} on the memory broker (queues: {sorted(self._core.queues)})")
        return [message.snapshot() for message in found.ready]

    def dead_letters(self, queue: str) -> list[BrokerMessage]:
        """Return the messages in the dead-letter queue of the library's queue ``queue``.

        Args:
            queue: A handler's queue (the dead-letter queue is ``<queue>.dlq``).

        Returns:
            The dead-lettered messages, oldest first, with the error in their headers.

        Raises:
            KeyError: the dead-letter queue was never declared.
        """
        return self.messages(dead_letter_queue_name(queue))

    def queue_names(self) -> list[str]:
        """Return the names of the declared queues, sorted."""
        return sorted(self._core.queues)

    def queue_arguments(self, queue: str) -> dict[str, Any]:
        """Return the arguments ``queue`` was declared with.

        Raises:
            KeyError: there is no such queue.
        """
        found = self._core.queues.get(queue)
        if found is None:
            raise KeyError(f"no queue {queue!r} on the memory broker")
        return dict(found.arguments)

    def consumer_count(self, queue: str) -> int:
        """Return how many consumers ``queue`` has (0 for a missing queue)."""
        found = self._core.queues.get(queue)
        return len(found.consumers) if found is not None else 0

    def connection_names(self) -> list[str]:
        """Return the names of the open connections, in the order they were opened."""
        return [connection.name for connection in self._core.connections]

    # -- driving -------------------------------------------------------------------------------

    def declare_exchange(self, name: str, kind: str = "topic") -> None:
        """Declare an exchange of ``kind`` (``topic``, ``direct`` or ``fanout``) from the test.

        Raises:
            ValueError: the broker would refuse it (an ``amq.`` name, another kind by that name).
        """
        try:
            self._core.declare_exchange(name, kind)
        except Refused as refused:
            raise ValueError(refused.text) from None

    async def publish_raw(
        self,
        routing_key: str,
        body: bytes | str,
        exchange: str = "amq.topic",
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        """Publish a message as it is, without an envelope, as another program would.

        Args:
            routing_key: Its routing key (sent as given, not encoded or prefixed).
            body: The body; ``str`` is sent as UTF-8.
            exchange: The exchange (``""`` for the default exchange, straight to a queue).
            properties: AMQP properties (``headers``, ``content_type``, ...).

        Raises:
            AmqpChannelClosed: the exchange does not exist (404).
        """
        connection = await self.connect(name="memory broker publish_raw")
        try:
            channel = await connection.channel(confirms=True)
            data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
            await channel.publish(data, exchange, routing_key, properties)
        finally:
            await connection.close()
        await settle()

    async def drop_connections(self) -> int:
        """Close every connection from the broker's side, as ``rabbitmqctl close_all_connections``.

        Unacknowledged deliveries return to their queues; the runtime notices and reconnects.

        Returns:
            How many connections were closed.
        """
        connections = list(self._core.connections)
        for connection in connections:
            connection.shut()
        await settle()
        return len(connections)

    async def stop(self) -> None:
        """Stop accepting connections and close every open one, as a broker going down does.

        Queues, bindings and messages stay, as durable ones do over a restart; ``start`` takes
        connections again.
        """
        self._core.accepting = False
        await self.drop_connections()

    def start(self) -> None:
        """Accept connections again after ``stop``."""
        self._core.accepting = True

    async def advance(self, seconds: float) -> None:
        """Move the broker's fake clock ``seconds`` on; messages whose TTL passes expire.

        Args:
            seconds: How far.

        Raises:
            TypeError: the clock has no ``advance`` (the loop's clock cannot be moved).
        """
        move = getattr(self.clock, "advance", None)
        if move is None:
            raise TypeError(f"the broker's clock {type(self.clock).__name__} has no advance()")
        await settle()
        await move(seconds)
        await settle()

    def reset(self) -> None:
        """Close every connection and forget every queue, exchange, binding and publish; accept
        connections (after ``stop``)."""
        for connection in list(self._core.connections):
            connection.shut()
        self._core.reset_declarations()
        self._core.accepting = True


@contextlib.contextmanager
def use_memory_broker(broker: MemoryBroker) -> Iterator[MemoryBroker]:
    """Have every connection the library opens inside the block go to ``broker``.

    Connections opened before the block stay where they are, and those opened inside stay on
    ``broker`` after it: ``amqp_publish`` keeps one connection per event loop, so a test that
    switches brokers within one loop calls ``close_publishers()`` first.

    Args:
        broker: The in-memory broker.

    Returns:
        A context manager that gives ``broker`` and restores the connection factory on exit.
    """
    previous = set_connection_factory(broker.connect)
    try:
        yield broker
    finally:
        set_connection_factory(previous)
