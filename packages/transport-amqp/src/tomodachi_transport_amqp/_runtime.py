"""The consumers of one service instance: declared at start, consumed concurrently, kept connected.

``start`` connects and declares what tomodachi 0.29 declares (the exchange unless it is
``amq.topic``, each handler's queue with its ``x-expires``, the binding), plus each queue's retry
queues and dead-letter queue (see ``_failures``). ``consume`` opens the consumer channel with
0.29's QoS (per-consumer and per-channel prefetch) and starts consuming. Every delivery is handled
in a task of its own, so up to the prefetch count run at once, each acked when its handler ends.

A supervisor watches the connection; when it is lost it reconnects with growing pauses,
declares again and resumes. It reports ``connection.lost`` and ``connection.restored``, and the
runtime ``consumer.started`` and ``consumer.stopped``, as ``tomodachi_middleware`` operational events
(with ``transport="amqp"``, ``service`` and ``broker``, the ``host:port`` address). Deliveries in
flight on the lost connection are redelivered by the broker. ``drain`` cancels the consumers at
once, lets handlers in flight finish and ack within the grace period and cancels the rest, whose
messages return to their queues when ``close`` closes the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from tomodachi_middleware import emit, set_handler_context

from ._client import Channel, Connection, connect
from ._errors import AmqpConnectionException, AmqpException, AmqpTooManyConsumersException
from ._failures import copy_properties, error_text, failed_attempts
from ._invoke import Invoker, UnparseableMessage, build_invoker
from ._naming import (
    DEFAULT_EXCHANGE,
    dead_letter_queue_name,
    prefixed_routing_key,
    queue_name,
    retry_queue_name,
)
from ._publish import amqp_options, settings_from
from ._publisher import Publisher, publisher_for
from ._spec import AmqpHandlerSpec
from ._values import Delivery, Settings

logger = logging.getLogger("tomodachi.amqp")
HANDLER_LOGGER = "tomodachi.amqp.handler"
exception_logger = logging.getLogger("exception")

RECONNECT_FIRST_PAUSE = 0.5
RECONNECT_LONGEST_PAUSE = 30.0
WATCH_INTERVAL = 1.0
FAILURE_COPY_RETRY_SECONDS = 10.0
DEAD_LETTER_TTL_OF_OWN_QUEUES = 14 * 24 * 3600


@dataclass
class _Consumer:
    spec: AmqpHandlerSpec
    queue: str
    exchange: str
    binding_key: str
    arguments: dict[str, Any]
    retry_queues: dict[int, str]
    dead_letter_queue: str
    dead_letter_arguments: dict[str, Any]
    invoke: Invoker
    tag: str | None = None

    @property
    def fields(self) -> dict[str, Any]:
        return {"handler": self.spec.name, "queue_name": self.queue, "routing_key": self.spec.routing_key}


class AmqpRuntime:
    """The AMQP handlers of one service instance.

    Args:
        service: The service instance.
        specs: Its handlers' specs, in definition order.
        grace_period: How long ``drain`` lets handlers in flight finish, in seconds.
    """

    def __init__(self, service: Any, specs: Sequence[AmqpHandlerSpec], *, grace_period: float = 30.0) -> None:
        self.service = service
        self.specs = list(specs)
        self.grace_period = grace_period
        self.consumers: list[_Consumer] = []
        self.current_tasks = 0
        self.total_tasks = 0
        self.reconnects = 0
        self._settings: Settings | None = None
        self._publisher: Publisher | None = None
        self._connection: Connection | None = None
        self._channel: Channel | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._supervisor: asyncio.Task[None] | None = None
        self._stopping = False
        self._cancelled_by_broker = False
        self._prefetch = (100, 400)

    @property
    def connection_name(self) -> str:
        """The name of the consumer connection, as the broker lists it."""
        return f"tomodachi {getattr(self.service, 'name', 'service')} consumers pid={os.getpid()}"

    # -- start -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Connect, and declare the exchanges, queues and bindings of every handler.

        Raises:
            AmqpConnectionException: the broker cannot be reached.
            AmqpChannelClosed: the broker refused a declaration (an ``amq.*`` exchange, a type clash,
                a queue declared with other arguments).
            AmqpTooManyConsumersException: a non-competing queue already has its consumer.
            AmqpConfigurationError: a handler's signature cannot be read.
        """
        options = amqp_options(self.service)
        self._settings = settings_from(options)
        self._prefetch = (int(options.qos.queue_prefetch_count), int(options.qos.global_prefetch_count))
        self._publisher = publisher_for(self._settings)
        middlewares = list(getattr(self.service, "message_middleware", None) or [])
        self.consumers = [self._plan(spec, options, middlewares) for spec in self.specs]
        connection = await self._connect()
        try:
            await self._declare(connection)
        except BaseException:
            await connection.close()
            raise
        self._connection = connection

    def _plan(self, spec: AmqpHandlerSpec, options: Any, middlewares: list[Any]) -> _Consumer:
        exchange = spec.exchange_name or options.exchange_name or DEFAULT_EXCHANGE
        queue = queue_name(
            spec.routing_key,
            handler_name=spec.name,
            service_uuid=str(getattr(self.service, "uuid", "")),
            competing=spec.competing,
            queue_name=spec.queue_name,
            prefix=options.queue_name_prefix or "",
        )
        arguments: dict[str, Any] = {}
        if options.queue_ttl:
            arguments["x-expires"] = int(options.queue_ttl * 1000)
        return _Consumer(
            spec=spec,
            queue=queue,
            exchange=exchange,
            binding_key=prefixed_routing_key(spec.routing_key, options.routing_key_prefix),
            arguments=arguments,
            retry_queues={delay: retry_queue_name(queue, delay) for delay in spec.retry_policy.delays_ms},
            dead_letter_queue=dead_letter_queue_name(queue),
            dead_letter_arguments=self._dead_letter_arguments(spec, options),
            invoke=build_invoker(self.service, spec, exchange_name=exchange, middlewares=middlewares),
        )

    @staticmethod
    def _dead_letter_arguments(spec: AmqpHandlerSpec, options: Any) -> dict[str, Any]:
        """A shared dead-letter queue never expires; one of an instance's own queue (a new uuid on
        every start) expires, after the longer of ``queue_ttl`` and 14 days unused."""
        if spec.competing or spec.queue_name is not None or not options.queue_ttl:
            return {}
        return {"x-expires": max(int(options.queue_ttl), DEAD_LETTER_TTL_OF_OWN_QUEUES) * 1000}

    async def _connect(self) -> Connection:
        assert self._settings is not None
        try:
            return await connect(self._settings, name=self.connection_name)
        except AmqpConnectionException as exc:
            logger.warning(f"Unable to connect [amqp] to {self._settings.address} ({exc.__cause__ or exc})")
            raise

    async def _declare(self, connection: Connection) -> None:
        channel = await connection.channel()
        declared_exchanges: set[str] = set()
        for consumer in self.consumers:
            if consumer.exchange != DEFAULT_EXCHANGE and consumer.exchange not in declared_exchanges:
                try:
                    await channel.declare_exchange(consumer.exchange)
                except AmqpException as exc:
                    logger.warning(f'Unable to declare exchange [amqp] "{consumer.exchange}" ({exc})')
                    raise
                declared_exchanges.add(consumer.exchange)
            consumers = await channel.declare_queue(consumer.queue, consumer.arguments)
            if not consumer.spec.competing and consumers >= 1:
                logger.warning(f'Max consumers (1) for queue [amqp] "{consumer.queue}" has been reached')
                raise AmqpTooManyConsumersException(
                    f"queue {consumer.queue!r} of a non-competing handler already has a consumer"
                )
            await channel.bind(consumer.queue, consumer.exchange, consumer.binding_key)
            for name in consumer.retry_queues.values():
                retry_arguments = {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": consumer.queue}
                if "x-expires" in consumer.arguments:
                    retry_arguments["x-expires"] = consumer.arguments["x-expires"]
                await channel.declare_queue(name, retry_arguments)
            await channel.declare_queue(consumer.dead_letter_queue, consumer.dead_letter_arguments)
        await channel.close()

    # -- consume -------------------------------------------------------------------------------

    async def consume(self) -> None:
        """Start consuming every handler's queue, and watching the connection.

        Raises:
            AmqpConnectionException: the connection was lost since ``start``.
            AmqpChannelClosed: the broker refused to consume a queue.
        """
        if self._stopping or self._connection is None:
            return
        await self._subscribe(self._connection)
        self._supervisor = asyncio.create_task(self._supervise(), name="tomodachi.amqp:supervisor")
        self._emit("consumer.started")

    def _emit(self, event: str) -> None:
        """Report an operational event (``tomodachi_middleware.emit``) about this runtime."""
        broker = self._settings.address if self._settings is not None else ""
        emit(event, transport="amqp", service=self.service, broker=broker)

    async def _subscribe(self, connection: Connection) -> None:
        channel = await connection.channel()
        await channel.qos(self._prefetch[0], connection_global=False)
        await channel.qos(self._prefetch[1], connection_global=True)
        self._channel = channel
        self._cancelled_by_broker = False
        channel.on_cancelled(self._on_cancelled)
        for consumer in self.consumers:
            consumer.tag = await channel.consume(
                consumer.queue, partial(self._on_delivery, channel, consumer)
            )

    async def _on_delivery(self, channel: Channel, consumer: _Consumer, delivery: Delivery) -> None:
        if self._stopping:
            await self._quietly(channel.nack(delivery.delivery_tag, requeue=True))
            return
        task = asyncio.create_task(self._handle(channel, consumer, delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, channel: Channel, consumer: _Consumer, delivery: Delivery) -> None:
        self.current_tasks += 1
        self.total_tasks += 1
        set_handler_context(HANDLER_LOGGER, handler=consumer.spec.name, type="tomodachi.amqp")
        try:
            await consumer.invoke(delivery)
        except UnparseableMessage as exc:
            logger.error(
                "unparseable message moved to the dead-letter queue",
                extra={**consumer.fields, "dead_letter_queue": consumer.dead_letter_queue, "error": str(exc)},
            )
            await self._move_failed(channel, consumer, delivery, exc, unparseable=True)
        except Exception as exc:
            exception_logger.exception(f"uncaught exception: {exc}", extra=consumer.fields)
            await self._move_failed(channel, consumer, delivery, exc, unparseable=False)
        else:
            await self._quietly(channel.ack(delivery.delivery_tag))
        finally:
            self.current_tasks -= 1

    async def _move_failed(
        self, channel: Channel, consumer: _Consumer, delivery: Delivery, exc: Exception, *, unparseable: bool
    ) -> None:
        attempts = failed_attempts(delivery) + 1
        policy = consumer.spec.retry_policy
        error = error_text(exc)
        if unparseable or attempts >= policy.attempts:
            target, expiration = consumer.dead_letter_queue, None
        else:
            expiration = policy.delay_ms(attempts)
            target = consumer.retry_queues[expiration]
        properties = copy_properties(
            delivery, queue=consumer.queue, attempts=attempts, error=error, expiration_ms=expiration
        )
        assert self._publisher is not None
        try:
            await self._publisher.publish(
                delivery.body, "", target, properties, retry_for=FAILURE_COPY_RETRY_SECONDS
            )
        except AmqpException as publish_error:
            logger.warning(
                "could not move a failed message, it returns to its queue",
                extra={**consumer.fields, "error": str(publish_error)},
            )
            await self._quietly(channel.nack(delivery.delivery_tag, requeue=True))
            return
        if expiration is None and not unparseable:
            logger.warning(
                "message moved to the dead-letter queue after its last attempt",
                extra={**consumer.fields, "dead_letter_queue": target, "attempts": attempts, "error": error},
            )
        self._emit_failure(consumer, expiration is not None, unparseable)
        await self._quietly(channel.ack(delivery.delivery_tag))

    def _emit_failure(self, consumer: _Consumer, retried: bool, unparseable: bool) -> None:
        """Report ``message.retried``, or ``message.dead_lettered`` (after ``message.unparseable``)."""
        fields = {"transport": "amqp", "service": self.service, "queue": consumer.queue}
        if retried:
            emit("message.retried", **fields)
            return
        if unparseable:
            emit("message.unparseable", **fields)
        emit("message.dead_lettered", **fields, reason="unparseable" if unparseable else "attempts")

    @staticmethod
    async def _quietly(operation: Any) -> None:
        """Ack or nack; on a lost connection the broker redelivers the message, so nothing to do."""
        try:
            await operation
        except AmqpException as exc:
            logger.debug("ack or nack not sent", extra={"error": str(exc)})

    # -- staying connected ---------------------------------------------------------------------

    def _on_cancelled(self, consumer_tag: str) -> None:
        if not self._stopping:
            logger.warning(
                "the broker cancelled a consumer (its queue was deleted?)",
                extra={"consumer_tag": consumer_tag},
            )
            self._cancelled_by_broker = True

    def _healthy(self) -> bool:
        connection, channel = self._connection, self._channel
        if self._cancelled_by_broker:
            return False
        return connection is not None and connection.is_open and channel is not None and channel.is_open

    async def _supervise(self) -> None:
        while not self._stopping:
            if self._healthy():
                assert self._connection is not None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._connection.closed.wait(), WATCH_INTERVAL)
                continue
            logger.warning("lost the connection to the broker, reconnecting")
            self._emit("connection.lost")
            await self._reconnect()

    async def _reconnect(self) -> None:
        old, self._connection, self._channel = self._connection, None, None
        if old is not None:
            await old.close(wait=1.0)
        pause = RECONNECT_FIRST_PAUSE
        attempt = 0
        while not self._stopping:
            attempt += 1
            connection: Connection | None = None
            try:
                connection = (
                    await connect(self._settings, name=self.connection_name) if self._settings else None
                )
                if connection is None:
                    return
                await self._declare(connection)
                self._connection = connection
                await self._subscribe(connection)
            except AmqpException as exc:
                self._connection, self._channel = None, None
                if connection is not None:
                    await connection.close(wait=1.0)
                logger.warning(
                    "could not reconnect to the broker",
                    extra={"attempt": attempt, "error": str(exc), "pause": pause},
                )
                await asyncio.sleep(pause * random.uniform(0.8, 1.2))
                pause = min(pause * 2, RECONNECT_LONGEST_PAUSE)
                continue
            self.reconnects += 1
            logger.info("reconnected to the broker and resumed consuming", extra={"attempt": attempt})
            self._emit("connection.restored")
            return

    # -- stop ----------------------------------------------------------------------------------

    async def drain(self) -> None:
        """Stop consuming at once; let handlers in flight finish within the grace period."""
        self._stopping = True
        consuming = self._supervisor is not None
        await self._cancel_supervisor()
        channel = self._channel
        if channel is not None and channel.is_open:
            for consumer in self.consumers:
                if consumer.tag is not None:
                    await self._quietly(channel.cancel(consumer.tag))
        if consuming:
            self._emit("consumer.stopped")
        running = set(self._tasks)
        if not running:
            return
        logger.info(
            "draining amqp consumers", extra={"task_count": len(running), "grace_period": self.grace_period}
        )
        _, pending = await asyncio.wait(running, timeout=max(self.grace_period, 0.0))
        if pending:
            logger.warning(
                "handlers did not finish within the grace period, their messages return to the queue",
                extra={"task_count": len(pending)},
            )
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

    async def _cancel_supervisor(self) -> None:
        supervisor, self._supervisor = self._supervisor, None
        if supervisor is not None:
            supervisor.cancel()
            await asyncio.gather(supervisor, return_exceptions=True)

    async def close(self) -> None:
        """Close the connections; unacknowledged messages return to their queues."""
        self._stopping = True
        await self._cancel_supervisor()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None:
            await connection.close()
        if self._publisher is not None:
            await self._publisher.close()
