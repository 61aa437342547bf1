"""The small client interface over aioamqp; the one module that imports it.

``connect`` opens a connection; ``Connection.channel`` opens a channel, optionally in confirm
mode (each publish then waits for the broker's ack). Every aioamqp error is translated here, in
``_translation``, into the library's errors.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import aioamqp
import aioamqp.exceptions
import pamqp.commands
import pamqp.frame
import pamqp.header

from ._errors import (
    AmqpChannelClosed,
    AmqpConnectionException,
    AmqpException,
    AmqpExclusiveQueueLockedException,
    AmqpPublishError,
)
from ._frames import ack_frame, body_frames, persistent_header_frame, publish_method_frame
from ._values import Delivery as Delivery
from ._values import OnDelivery
from ._values import Settings as Settings

AIOAMQP_VERSION: str = str(getattr(aioamqp, "__version__", ""))

for _name in ("aioamqp.protocol", "aioamqp.channel"):
    logging.getLogger(_name).setLevel(logging.WARNING)


PERSISTENT: Mapping[str, Any] = {"delivery_mode": 2}
"""The properties of a persistent message with nothing else set: its header is encoded by hand."""

# Reply codes with which the broker closes one channel (the connection stays): AMQP 0-9-1 soft errors.
_CHANNEL_REPLY_CODES = frozenset({311, 312, 313, 403, 404, 405, 406})


def _translation(what: str, exc: BaseException) -> BaseException | None:
    """The library's error for an aioamqp or socket error met while doing ``what``; None for others."""
    if isinstance(exc, aioamqp.exceptions.ChannelClosed):
        code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else 0
        text = exc.args[1] if len(exc.args) > 1 else str(exc)
        if code not in _CHANNEL_REPLY_CODES:  # the whole connection went, not one channel
            return AmqpConnectionException(f"{what}: the connection was closed ({code} {text})")
        error = AmqpExclusiveQueueLockedException if code == 405 else AmqpChannelClosed
        return error(f"{what}: the broker closed the channel ({code} {text})", reply_code=code)
    if isinstance(exc, aioamqp.exceptions.PublishFailed):
        return AmqpPublishError(f"{what}: the broker refused the message (nack)")
    if isinstance(exc, aioamqp.exceptions.AioamqpException | ConnectionError | OSError | AssertionError):
        return AmqpConnectionException(f"{what}: {type(exc).__name__}: {exc}".rstrip(": "))
    return None


@contextmanager
def _translated(what: str) -> Iterator[None]:
    """Turns aioamqp's and the socket's errors into the library's, naming what was attempted."""
    try:
        yield
    except AmqpException:
        raise
    except Exception as exc:
        error = _translation(what, exc)
        if error is None:
            raise
        raise error from exc


class Channel:
    """One AMQP channel of a connection."""

    def __init__(self, channel: Any, confirms: bool) -> None:
        self._channel = channel
        self.confirms = confirms
        # Publisher confirms are tracked here: aioamqp's own tracking ignores the broker's
        # ``multiple`` acks, which cover every tag up to the one they name.
        self._next_tag = 1
        self._unconfirmed: dict[int, asyncio.Future[None]] = {}
        self._outgoing: list[bytes] = []
        self._flush_scheduled = False
        if confirms:
            channel.basic_server_ack = self._on_ack
            channel.basic_server_nack = self._on_nack
            closed = channel.connection_closed

            def connection_closed(
                server_code: int | None = None, server_reason: str | None = None, exception: Any = None
            ) -> None:
                closed(server_code, server_reason, exception)
                reason = server_reason or "channel closed before the confirm"
                self._settle(None, aioamqp.exceptions.ChannelClosed(server_code, reason))

            channel.connection_closed = connection_closed

    def _settle(self, frame: Any, error: BaseException | None) -> None:
        if frame is None:
            tags = list(self._unconfirmed)
        elif frame.multiple:
            tags = [tag for tag in self._unconfirmed if tag <= frame.delivery_tag]
        else:
            tags = [frame.delivery_tag] if frame.delivery_tag in self._unconfirmed else []
        for tag in tags:
            future = self._unconfirmed.pop(tag)
            if future.done():
                continue
            if error is None:
                future.set_result(None)
            else:
                future.set_exception(error)

    async def _on_ack(self, frame: Any) -> None:
        self._settle(frame, None)

    async def _on_nack(self, frame: Any) -> None:
        self._settle(frame, aioamqp.exceptions.PublishFailed(frame.delivery_tag))

    @property
    def is_open(self) -> bool:
        return bool(self._channel.is_open)

    async def qos(self, prefetch_count: int, *, connection_global: bool) -> None:
        """Set how many unacknowledged deliveries the broker may send (per consumer or per channel)."""
        with _translated("basic.qos"):
            await self._channel.basic_qos(
                prefetch_count=prefetch_count, prefetch_size=0, connection_global=connection_global
            )

    async def declare_exchange(self, name: str) -> None:
        """Declare a durable topic exchange."""
        with _translated(f"declaring exchange {name!r}"):
            await self._channel.exchange_declare(
                exchange_name=name, type_name="topic", passive=False, durable=True, auto_delete=False
            )

    async def delete_exchange(self, name: str) -> None:
        """Delete an exchange."""
        with _translated(f"deleting exchange {name!r}"):
            await self._channel.exchange_delete(name)

    async def declare_queue(self, name: str, arguments: Mapping[str, Any] | None = None) -> int:
        """Declare a durable queue; return how many consumers it has."""
        with _translated(f"declaring queue {name!r}"):
            result = await self._channel.queue_declare(
                name,
                passive=False,
                durable=True,
                exclusive=False,
                auto_delete=False,
                arguments=dict(arguments or {}),
            )
        return int(result.get("consumer_count", 0))

    async def delete_queue(self, name: str) -> None:
        """Delete a queue and the messages in it."""
        with _translated(f"deleting queue {name!r}"):
            await self._channel.queue_delete(name)

    async def bind(self, queue: str, exchange: str, routing_key: str) -> None:
        """Bind ``queue`` to ``exchange`` with ``routing_key`` (a pattern on topic exchanges)."""
        with _translated(f"binding queue {queue!r} to {exchange!r} with {routing_key!r}"):
            await self._channel.queue_bind(queue, exchange, routing_key)

    async def consume(self, queue: str, on_delivery: OnDelivery) -> str:
        """Start consuming ``queue`` with manual acks; return the consumer tag.

        ``on_delivery`` is awaited in the connection's reading loop: it must return at once.
        """

        async def callback(_channel: Any, body: bytes, envelope: Any, properties: Any) -> None:
            await on_delivery(
                Delivery(
                    body,
                    envelope.delivery_tag,
                    envelope.exchange_name,
                    envelope.routing_key,
                    bool(envelope.is_redeliver),
                    properties,
                )
            )

        with _translated(f"consuming queue {queue!r}"):
            result = await self._channel.basic_consume(callback, queue_name=queue)
        return str(result["consumer_tag"])

    def on_cancelled(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(consumer_tag)`` when the broker cancels a consumer (its queue was deleted)."""

        def cancelled(_channel: Any, consumer_tag: str) -> None:
            callback(consumer_tag)

        self._channel.add_cancellation_callback(cancelled)

    async def cancel(self, consumer_tag: str) -> None:
        """Stop a consumer: the broker sends it nothing more."""
        self._flush()
        with _translated("basic.cancel"):
            await self._channel.basic_cancel(consumer_tag)

    def _write(self, *frames: bytes) -> None:
        """Queue encoded frames to be written with every other frame queued in this loop iteration.

        aioamqp writes each frame with a call (a system call) of its own; acks and publishes queued
        here go out together, once per loop iteration, which is most of a busy consumer's cost.
        """
        if self._channel.protocol.state != aioamqp.protocol.OPEN:
            raise aioamqp.exceptions.AmqpClosedConnection()
        if not self._channel.is_open:
            raise aioamqp.exceptions.ChannelClosed(None, "channel closed")
        self._outgoing.extend(frames)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            asyncio.get_running_loop().call_soon(self._flush)

    def _flush(self) -> None:
        self._flush_scheduled = False
        outgoing, self._outgoing = self._outgoing, []
        protocol = self._channel.protocol
        if outgoing and protocol.state == aioamqp.protocol.OPEN:
            protocol._stream_writer.write(b"".join(outgoing))

    async def ack(self, delivery_tag: int) -> None:
        try:
            self._write(ack_frame(self._channel.channel_id, delivery_tag))
        except Exception as exc:
            error = _translation("basic.ack", exc)
            if error is None:
                raise
            raise error from exc

    async def nack(self, delivery_tag: int, *, requeue: bool) -> None:
        self._flush()
        with _translated("basic.nack"):
            await self._channel.basic_client_nack(delivery_tag, requeue=requeue)

    async def publish(
        self,
        body: bytes,
        exchange: str,
        routing_key: str,
        properties: Mapping[str, Any] | None = None,
        confirm_timeout: float = 10.0,
    ) -> None:
        """Publish ``body``; on a confirm channel, return once the broker has acked it.

        A confirm that does not come within ``confirm_timeout`` seconds raises ``TimeoutError``.
        """
        try:
            await self._publish(body, exchange, routing_key, properties, confirm_timeout)
        except Exception as exc:
            error = _translation(
                f"publishing to {exchange or '(default exchange)'!r} with {routing_key!r}", exc
            )
            if error is None:
                raise
            raise error from exc

    async def _publish(
        self,
        body: bytes,
        exchange: str,
        routing_key: str,
        properties: Mapping[str, Any] | None,
        confirm_timeout: float,
    ) -> None:
        number = self._channel.channel_id
        frame_max = self._channel.protocol.server_frame_max or 131072
        if properties == PERSISTENT:
            header = persistent_header_frame(number, len(body))
        else:
            content = pamqp.header.ContentHeader(
                body_size=len(body), properties=pamqp.commands.Basic.Properties(**(properties or {}))
            )
            header = pamqp.frame.marshal(content, number)
        frames = [
            publish_method_frame(number, exchange, routing_key),
            header,
            *body_frames(number, body, frame_max),
        ]
        if not self.confirms:
            self._write(*frames)
            return
        # The tag is taken and the frames written with no await in between, so tags follow the wire.
        self._write(*frames)
        tag = self._next_tag
        self._next_tag += 1
        confirmed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._unconfirmed[tag] = confirmed
        try:
            async with asyncio.timeout(confirm_timeout):
                await confirmed
        finally:
            self._unconfirmed.pop(tag, None)

    async def close(self) -> None:
        self._flush()
        if self._channel.is_open:
            with _translated("closing channel"):
                await self._channel.close()


class Connection:
    """A connection to the broker; ``closed`` is set when it ends, for whatever reason."""

    def __init__(self, transport: Any, protocol: Any, closed: asyncio.Event) -> None:
        self._transport = transport
        self._protocol = protocol
        self.closed = closed
        self._channels: list[Channel] = []

    @property
    def is_open(self) -> bool:
        return not self.closed.is_set() and self._protocol.state == aioamqp.protocol.OPEN

    async def channel(self, *, confirms: bool = False) -> Channel:
        """Open a channel; with ``confirms`` every publish on it waits for the broker's ack."""
        with _translated("opening a channel"):
            channel = await self._protocol.channel()
            if confirms:
                await channel.confirm_select()
        opened = Channel(channel, confirms)
        self._channels.append(opened)
        return opened

    async def close(self, wait: float = 5.0) -> None:
        """Close the connection; unacknowledged deliveries return to their queues."""
        for channel in self._channels:
            channel._flush()  # acks written in this loop iteration go out first
        try:
            if self._protocol.state == aioamqp.protocol.OPEN:
                await self._protocol.close(timeout=wait)
        except (TimeoutError, aioamqp.exceptions.AioamqpException, OSError):
            pass
        finally:
            self._transport.close()
            self.closed.set()


ConnectionFactory = Callable[[Settings, str], Awaitable[Connection]]
"""What opens a connection in place of the broker client: ``factory(settings, name)``."""

_connection_factory: ConnectionFactory | None = None


def set_connection_factory(factory: ConnectionFactory | None) -> ConnectionFactory | None:
    """Have every later ``connect`` call ``factory`` instead of reaching a broker; ``None`` restores.

    The runtime, the publisher and the testing helpers all connect through ``connect``, so this
    is the one place where an in-memory broker (``testing.use_memory_broker``) takes over.

    Args:
        factory: Opens a connection from ``(settings, name)``; ``None`` for the real broker.

    Returns:
        The factory in use before, to restore later.
    """
    global _connection_factory
    previous, _connection_factory = _connection_factory, factory
    return previous


async def connect(settings: Settings, name: str = "") -> Connection:
    """Open a connection with ``settings`` (or with the factory ``set_connection_factory`` set).

    Args:
        settings: Host, port, credentials, virtual host, TLS and heartbeat.
        name: The connection's name as the broker shows it (``rabbitmqctl list_connections name``).

    Returns:
        The open connection.

    Raises:
        AmqpConnectionException: the broker cannot be reached or refused the login.
    """
    factory = _connection_factory
    if factory is not None:
        return await factory(settings, name)
    closed = asyncio.Event()

    def on_error(_exc: BaseException) -> None:
        closed.set()

    created: list[Any] = []

    def protocol_factory(**kwargs: Any) -> Any:
        protocol = aioamqp.AmqpProtocol(**kwargs)
        created.append(protocol)
        return protocol

    ssl: Any = settings.ssl if settings.ssl else None
    try:
        with _translated(f"connecting to amqp://{settings.address}{settings.virtualhost}"):
            transport, protocol = await aioamqp.connect(
                host=settings.host,
                port=settings.port,
                login=settings.login,
                password=settings.password,
                virtualhost=settings.virtualhost,
                ssl=ssl,
                heartbeat=settings.heartbeat,
                on_error=on_error,
                protocol_factory=protocol_factory,
                client_properties={"connection_name": name} if name else {},
            )
    except BaseException:
        for protocol in created:  # aioamqp leaves the socket open when the handshake fails
            socket_transport = getattr(protocol, "_transport", None)
            if socket_transport is not None:
                socket_transport.close()
        raise
    return Connection(transport, protocol, closed)
