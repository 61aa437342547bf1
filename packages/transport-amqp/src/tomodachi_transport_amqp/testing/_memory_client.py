"""The in-memory broker's connections and channels, with the client interface of ``_client``.

They subclass the real ``Connection`` and ``Channel`` so the library's code and types take them as
they are; every method is overridden and none reaches aioamqp. Errors are the ones the real client
raises: ``AmqpChannelClosed`` with the broker's reply code when the broker refuses an operation
(the channel is then closed), ``AmqpConnectionException`` on a closed channel or connection.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pamqp.commands
import pamqp.frame
import pamqp.header
from aioamqp.properties import Properties

from tomodachi_transport_amqp._client import Channel, Connection
from tomodachi_transport_amqp._errors import (
    AmqpChannelClosed,
    AmqpConnectionException,
    AmqpExclusiveQueueLockedException,
)
from tomodachi_transport_amqp._values import Delivery, OnDelivery, Settings

from ._memory_model import PROPERTY_NAMES, Consumer, Queue, Refused, Stored

if TYPE_CHECKING:
    from ._memory_core import BrokerCore

logger = logging.getLogger("tomodachi.amqp.memory")


@dataclass
class _Unacked:
    queue: Queue
    message: Stored
    consumer: Consumer


def wire_properties(properties: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``properties`` as a consumer receives them: encoded as the client sends them, decoded.

    Raises:
        TypeError: a property is unknown or of a type the client cannot send.
        ValueError: a property's value cannot be sent (a ``delivery_mode`` other than 1 or 2, ...).
    """
    content = pamqp.header.ContentHeader(
        body_size=0, properties=pamqp.commands.Basic.Properties(**properties)
    )
    _, _, decoded = pamqp.frame.unmarshal(pamqp.frame.marshal(content, 1))
    assert isinstance(decoded, pamqp.header.ContentHeader)
    values = {name: getattr(decoded.properties, name) for name in sorted(PROPERTY_NAMES)}
    return {name: value for name, value in values.items() if value is not None}


def _properties(values: Mapping[str, Any]) -> Properties:
    properties = Properties(**values)
    timestamp = values.get("timestamp")
    if isinstance(timestamp, datetime.datetime) and timestamp.tzinfo is None:
        properties.timestamp = timestamp.replace(tzinfo=datetime.UTC)
    return properties


class MemoryChannel(Channel):
    """A channel of a ``MemoryConnection``."""

    def __init__(self, connection: MemoryConnection, number: int, confirms: bool) -> None:
        self.confirms = confirms
        self.number = number
        self._connection = connection
        self._broker = connection.core
        self._open = True
        self._next_delivery = 1
        self._unacked: dict[int, _Unacked] = {}
        self._consumers: dict[str, Consumer] = {}
        self._cancelled_callbacks: list[Callable[[str], None]] = []
        self.consumer_prefetch = 0
        self.channel_prefetch = 0

    @property
    def is_open(self) -> bool:
        return self._open and self._connection.is_open

    def has_room(self) -> bool:
        """Whether the channel's prefetch allows one more unacknowledged delivery."""
        return self.is_open and (self.channel_prefetch == 0 or len(self._unacked) < self.channel_prefetch)

    async def _round_trip(self, what: str) -> None:
        """Let the loop run, as a request to the broker and its reply would; then check the channel."""
        await asyncio.sleep(0)
        self._check(what)

    def _check(self, what: str) -> None:
        if not self._connection.is_open:
            raise AmqpConnectionException(f"{what}: AmqpClosedConnection")
        if not self._open:
            raise AmqpConnectionException(f"{what}: ChannelClosed: (0, 'Channel is closed')")

    def _refused(self, what: str, refused: Refused) -> AmqpChannelClosed:
        self.shut()
        error = AmqpExclusiveQueueLockedException if refused.code == 405 else AmqpChannelClosed
        return error(
            f"{what}: the broker closed the channel ({refused.code} {refused.text})", reply_code=refused.code
        )

    async def qos(self, prefetch_count: int, *, connection_global: bool) -> None:
        await self._round_trip("basic.qos")
        if connection_global:
            self.channel_prefetch = prefetch_count
        else:
            self.consumer_prefetch = prefetch_count

    async def declare_exchange(self, name: str) -> None:
        what = f"declaring exchange {name!r}"
        await self._round_trip(what)
        try:
            self._broker.declare_exchange(name, "topic")
        except Refused as refused:
            raise self._refused(what, refused) from None

    async def delete_exchange(self, name: str) -> None:
        what = f"deleting exchange {name!r}"
        await self._round_trip(what)
        try:
            self._broker.delete_exchange(name)
        except Refused as refused:
            raise self._refused(what, refused) from None

    async def declare_queue(self, name: str, arguments: Mapping[str, Any] | None = None) -> int:
        what = f"declaring queue {name!r}"
        await self._round_trip(what)
        try:
            return self._broker.declare_queue(name, dict(arguments or {}))
        except Refused as refused:
            raise self._refused(what, refused) from None

    async def delete_queue(self, name: str) -> None:
        what = f"deleting queue {name!r}"
        await self._round_trip(what)
        self._broker.delete_queue(name)

    async def bind(self, queue: str, exchange: str, routing_key: str) -> None:
        what = f"binding queue {queue!r} to {exchange!r} with {routing_key!r}"
        await self._round_trip(what)
        try:
            self._broker.bind(queue, exchange, routing_key)
        except Refused as refused:
            raise self._refused(what, refused) from None

    async def consume(self, queue: str, on_delivery: OnDelivery) -> str:
        what = f"consuming queue {queue!r}"
        await self._round_trip(what)
        try:
            found = self._broker.queue(queue)
        except Refused as refused:
            raise self._refused(what, refused) from None
        tag = self._broker.consumer_tag()
        consumer = Consumer(tag, found, self, on_delivery, self.consumer_prefetch)
        self._consumers[tag] = consumer
        found.consumers.append(consumer)
        self._broker.dispatch(found)
        return tag

    def on_cancelled(self, callback: Callable[[str], None]) -> None:
        self._cancelled_callbacks.append(callback)

    def cancelled_by_broker(self, consumer: Consumer) -> None:
        """The consumer's queue was deleted: forget the consumer and tell the callbacks."""
        self._consumers.pop(consumer.tag, None)
        for callback in list(self._cancelled_callbacks):
            callback(consumer.tag)

    async def cancel(self, consumer_tag: str) -> None:
        await self._round_trip("basic.cancel")
        consumer = self._consumers.pop(consumer_tag, None)
        if consumer is not None and consumer in consumer.queue.consumers:
            consumer.queue.consumers.remove(consumer)

    def deliver(self, consumer: Consumer, message: Stored) -> None:
        """Hand ``message`` to ``consumer`` through the connection's reading loop."""
        tag = self._next_delivery
        self._next_delivery += 1
        self._unacked[tag] = _Unacked(consumer.queue, message, consumer)
        consumer.unacked += 1
        delivery = Delivery(
            message.body,
            tag,
            message.exchange,
            message.routing_key,
            message.redelivered,
            _properties(message.properties),
        )
        self._connection.push(self, consumer.on_delivery, delivery)

    def _take(self, delivery_tag: int, what: str) -> _Unacked | None:
        self._check(what)
        entry = self._unacked.pop(delivery_tag, None)
        if entry is None:
            # The broker closes the channel; the client learns it later, as with aioamqp.
            self.shut()
            return None
        entry.consumer.unacked -= 1
        return entry

    def _dispatch_after(self, entry: _Unacked) -> None:
        queues = {id(c.queue): c.queue for c in self._consumers.values()}
        queues[id(entry.queue)] = entry.queue
        for queue in queues.values():
            self._broker.dispatch(queue)

    async def ack(self, delivery_tag: int) -> None:
        entry = self._take(delivery_tag, "basic.ack")
        if entry is not None:
            self._dispatch_after(entry)

    async def nack(self, delivery_tag: int, *, requeue: bool) -> None:
        entry = self._take(delivery_tag, "basic.nack")
        if entry is None:
            return
        if requeue:
            self._broker.requeue(entry.queue, [entry.message])
        else:
            self._broker.dead_letter(entry.queue, entry.message, "rejected")
        self._dispatch_after(entry)

    async def publish(
        self,
        body: bytes,
        exchange: str,
        routing_key: str,
        properties: Mapping[str, Any] | None = None,
        confirm_timeout: float = 10.0,
    ) -> None:
        what = f"publishing to {exchange or '(default exchange)'!r} with {routing_key!r}"
        self._check(what)
        values = wire_properties(properties or {})
        if self.confirms:  # the confirm is a reply from the broker
            await self._round_trip(what)
        try:
            self._broker.publish(bytes(body), exchange, routing_key, values)
        except Refused as refused:
            error = self._refused(what, refused)
            if self.confirms:  # without confirms the client learns of the closed channel later
                raise error from None

    def shut(self) -> None:
        """Close the channel: its consumers go, its unacknowledged deliveries return to their queues."""
        if not self._open:
            return
        self._open = False
        for consumer in self._consumers.values():
            if consumer in consumer.queue.consumers:
                consumer.queue.consumers.remove(consumer)
        self._consumers.clear()
        returned: dict[int, tuple[Queue, list[Stored]]] = {}
        for _, entry in sorted(self._unacked.items()):
            returned.setdefault(id(entry.queue), (entry.queue, []))[1].append(entry.message)
        self._unacked.clear()
        for queue, messages in returned.values():
            self._broker.requeue(queue, messages)
        for queue, _ in returned.values():
            self._broker.dispatch(queue)

    async def close(self) -> None:
        self.shut()


class MemoryConnection(Connection):
    """A connection to an in-memory broker; ``closed`` is set when it ends, for whatever reason.

    Deliveries reach their callbacks one after the other in a reading task of the connection, as
    aioamqp's reading loop delivers them.
    """

    def __init__(self, core: BrokerCore, settings: Settings, name: str) -> None:
        self.core = core
        self.settings = settings
        self.name = name
        self.closed = asyncio.Event()
        self._channels: list[Channel] = []
        self._memory_channels: list[MemoryChannel] = []
        self._inbox: asyncio.Queue[tuple[MemoryChannel, OnDelivery, Delivery]] = asyncio.Queue()
        self._reader = asyncio.get_running_loop().create_task(self._read(), name=f"amqp memory reader {name}")

    @property
    def is_open(self) -> bool:
        return not self.closed.is_set()

    async def _read(self) -> None:
        while True:
            channel, callback, delivery = await self._inbox.get()
            if not channel.is_open:
                continue
            try:
                await callback(delivery)
            except Exception:
                logger.exception("a delivery callback raised")

    def push(self, channel: MemoryChannel, callback: OnDelivery, delivery: Delivery) -> None:
        """Queue a delivery for the reading task."""
        self._inbox.put_nowait((channel, callback, delivery))

    async def channel(self, *, confirms: bool = False) -> Channel:
        await asyncio.sleep(0)
        if not self.is_open:
            raise AmqpConnectionException("opening a channel: AmqpClosedConnection")
        opened = MemoryChannel(self, len(self._memory_channels) + 1, confirms)
        self._channels.append(opened)
        self._memory_channels.append(opened)
        return opened

    def shut(self) -> None:
        """End the connection: every channel closes, and the reading task stops."""
        if self.closed.is_set():
            return
        self.closed.set()  # first, so that no returned message goes to another channel of it
        for channel in self._memory_channels:
            channel.shut()
        self.core.forget(self)
        if self._reader is not asyncio.current_task():
            self._reader.cancel()

    async def close(self, wait: float = 5.0) -> None:
        self.shut()
        if self._reader is not asyncio.current_task():
            await asyncio.wait([self._reader])
