"""One battery of AMQP behaviour, run on the in-memory broker and on the local RabbitMQ.

Every test gets a ``backend``: ``memory`` installs a ``MemoryBroker`` (whose clock lets message
TTLs pass at once, so retry delays take no time); ``rabbitmq`` holds the local broker shared, with
names of the test's own, and deletes what the test declared. The tests speak only through the
library: the runtime, ``amqp_publish`` and the client's ``connect``.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_transport_amqp import (
    ATTEMPTS_HEADER,
    ERROR_HEADER,
    AmqpChannelClosed,
    AmqpRuntime,
    RetryPolicy,
    amqp,
    amqp_publish,
    close_publishers,
)
from tomodachi_transport_amqp._client import Channel, Connection, connect
from tomodachi_transport_amqp._failures import QUEUE_HEADER, ROUTING_KEY_HEADER
from tomodachi_transport_amqp._values import Delivery, Settings
from tomodachi_transport_amqp.testing import (
    MemoryBroker,
    ServiceStub,
    broker_lock,
    close_connections_named,
    delete_declared_queues,
    handler_specs_of,
    use_memory_broker,
    wait_until,
)

WITHIN = 10.0
QUICK = RetryPolicy(attempts=3, delay=0.05, factor=2.0)


class InstantClock:
    """A clock on which every wait is over at once: time jumps to the moment waited for."""

    def __init__(self) -> None:
        self.now = 0.0

    def time(self) -> float:
        return self.now

    async def sleep_until(self, moment: float) -> None:
        await asyncio.sleep(0)
        self.now = max(self.now, moment)


class Backend:
    """A broker for one test: names of its own, raw channels, runtimes, and cleanup."""

    def __init__(self, name: str, memory: MemoryBroker | None = None) -> None:
        self.name = name
        self.memory = memory
        tag = uuid.uuid4().hex[:10]
        self.prefix = f"conf-{tag}-"
        self.key = f"conf.{tag}"
        self._runtimes: list[AmqpRuntime] = []
        self._connections: list[Connection] = []
        self._queues: list[str] = []

    def queue(self, name: str) -> str:
        """A queue name of this test alone, deleted at the end."""
        full = f"{self.prefix}{name}"
        self._queues.append(full)
        return full

    async def channel(self, *, confirms: bool = True) -> Channel:
        connection = await connect(Settings(), f"conformance {self.prefix}")
        self._connections.append(connection)
        return await connection.channel(confirms=confirms)

    async def start(self, service: Any) -> AmqpRuntime:
        runtime = AmqpRuntime(service, handler_specs_of(type(service)), grace_period=2.0)
        self._runtimes.append(runtime)
        await runtime.start()
        await runtime.consume()
        return runtime

    async def drop_connections(self, runtime: AmqpRuntime) -> None:
        """Close the runtime's and the publisher's connections from the broker's side."""
        if self.memory is not None:
            await self.memory.drop_connections()
            return
        assert await close_connections_named(runtime.connection_name) == 1
        await close_connections_named(f"tomodachi publisher pid={os.getpid()}")

    async def collect(self, queue: str) -> list[Delivery]:
        """Consume ``queue`` on a channel of its own, acking; return the list deliveries go to."""
        channel = await self.channel(confirms=False)
        received: list[Delivery] = []

        async def on_delivery(delivery: Delivery) -> None:
            received.append(delivery)
            await channel.ack(delivery.delivery_tag)

        await channel.consume(queue, on_delivery)
        return received

    async def cleanup(self) -> None:
        for runtime in self._runtimes:
            await runtime.drain()
            await runtime.close()
        for runtime in self._runtimes:
            await delete_declared_queues(runtime)
        for connection in self._connections:
            await connection.close()
        if self._queues:
            connection = await connect(Settings(), "conformance cleanup")
            channel = await connection.channel()
            for name in self._queues:
                await channel.delete_queue(name)
            await connection.close()
        await close_publishers()


@pytest.fixture(params=["memory", "rabbitmq"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        broker = MemoryBroker(InstantClock())
        chosen = Backend("memory", broker)
        with use_memory_broker(broker):
            yield chosen
            await chosen.cleanup()
    else:
        chosen = Backend("rabbitmq")
        async with broker_lock():
            yield chosen
            await chosen.cleanup()


async def test_a_published_message_reaches_its_handler_with_its_keywords(backend: Backend) -> None:
    received: list[tuple[Any, str, str, Any]] = []

    class Service(ServiceStub):
        @amqp(backend.key)
        async def handler(self, data: Any, routing_key: str, exchange_name: str, properties: Any) -> None:
            received.append((data, routing_key, exchange_name, properties))

    service = Service({"queue_name_prefix": backend.prefix}, message_envelope=JsonBase)
    await backend.start(service)
    await amqp_publish(service, {"n": 1}, routing_key=backend.key)
    await wait_until(lambda: len(received) == 1, within=WITHIN)
    data, routing_key, exchange_name, properties = received[0]
    assert (data, routing_key, exchange_name) == ({"n": 1}, backend.key, "amq.topic")
    assert properties.delivery_mode == 2
    assert properties.headers is None


async def test_topic_bindings_match_one_word_with_star_and_any_words_with_hash(backend: Backend) -> None:
    key = backend.key
    received: list[tuple[str, str]] = []

    class Service(ServiceStub):
        @amqp(f"{key}.*", message_envelope=None)
        async def one_word(self, message: str) -> None:
            received.append(("*", message))

        @amqp(f"{key}.#", message_envelope=None)
        async def any_words(self, message: str) -> None:
            received.append(("#", message))

    service = Service({"queue_name_prefix": backend.prefix})
    await backend.start(service)
    for routing_key in (key, f"{key}.a", f"{key}.a.b", f"{key}x.a", f"other.{key}.a"):
        await amqp_publish(service, routing_key, routing_key=routing_key)
    await amqp_publish(service, "last", routing_key=f"{key}.z")  # both queues: after it, nothing more
    await wait_until(lambda: received.count(("*", "last")) == 1 and received.count(("#", "last")) == 1)
    assert sorted(received) == sorted(
        [("#", key), ("#", f"{key}.a"), ("#", f"{key}.a.b"), ("*", f"{key}.a"), ("#", "last"), ("*", "last")]
    )


async def test_instances_with_queues_of_their_own_each_get_every_message(backend: Backend) -> None:
    received: list[str] = []

    class Service(ServiceStub):
        @amqp(backend.key, competing=False, message_envelope=None)
        async def handler(self, message: str) -> None:
            received.append(self.uuid)

    first = Service({"queue_name_prefix": backend.prefix})
    second = Service({"queue_name_prefix": backend.prefix})
    await backend.start(first)
    await backend.start(second)
    await amqp_publish(first, "hello", routing_key=backend.key)
    await wait_until(lambda: len(received) == 2, within=WITHIN)
    assert sorted(received) == sorted([first.uuid, second.uuid])


async def test_competing_consumers_share_the_messages_of_one_queue(backend: Backend) -> None:
    received: list[tuple[str, str]] = []

    class Service(ServiceStub):
        @amqp(backend.key, competing=True, message_envelope=None)
        async def handler(self, message: str) -> None:
            received.append((self.uuid, message))

    first = Service({"queue_name_prefix": backend.prefix})
    second = Service({"queue_name_prefix": backend.prefix})
    await backend.start(first)
    await backend.start(second)
    for n in range(20):
        await amqp_publish(first, str(n), routing_key=backend.key)
    await wait_until(lambda: len(received) == 20, within=WITHIN)
    assert sorted(int(message) for _, message in received) == list(range(20))
    by_instance = {uuid: sum(1 for who, _ in received if who == uuid) for uuid in (first.uuid, second.uuid)}
    assert by_instance == {first.uuid: 10, second.uuid: 10}


async def test_a_failed_message_comes_back_from_its_retry_queue(backend: Backend) -> None:
    received: list[tuple[str, str, Any]] = []

    class Service(ServiceStub):
        @amqp(backend.key, message_envelope=None, retry_policy=QUICK)
        async def handler(self, message: str, exchange_name: str, properties: Any) -> None:
            received.append((message, exchange_name, properties))
            if len(received) == 1:
                raise RuntimeError("first attempt fails")

    service = Service({"queue_name_prefix": backend.prefix})
    runtime = await backend.start(service)
    await amqp_publish(service, "again", routing_key=backend.key)
    await wait_until(lambda: len(received) == 2, within=WITHIN)
    message, _, properties = received[1]
    queue = runtime.consumers[0].queue
    assert message == "again"
    assert properties.headers[ATTEMPTS_HEADER] == 1
    assert properties.headers[ERROR_HEADER] == "RuntimeError: first attempt fails"
    assert properties.headers[ROUTING_KEY_HEADER] == backend.key
    assert properties.expiration is None
    [death] = properties.headers["x-death"]
    assert (death["reason"], death["queue"], death["count"]) == ("expired", f"{queue}.retry.50", 1)
    assert death["routing-keys"] == [f"{queue}.retry.50"]
    assert properties.headers["x-first-death-reason"] == "expired"


async def test_after_its_last_attempt_a_message_is_in_the_dead_letter_queue(backend: Backend) -> None:
    attempts: list[str] = []

    class Service(ServiceStub):
        @amqp(backend.key, message_envelope=None, retry_policy=QUICK)
        async def handler(self, message: str) -> None:
            attempts.append(message)
            raise ValueError(f"attempt {len(attempts)}")

    service = Service({"queue_name_prefix": backend.prefix})
    runtime = await backend.start(service)
    queue = runtime.consumers[0].queue
    dead = await backend.collect(f"{queue}.dlq")
    await amqp_publish(service, "doomed", routing_key=backend.key)
    await wait_until(lambda: len(dead) == 1, within=WITHIN)
    assert attempts == ["doomed"] * 3
    [letter] = dead
    assert letter.body == b"doomed"
    assert (letter.exchange, letter.routing_key) == ("", f"{queue}.dlq")
    assert letter.properties.headers[ATTEMPTS_HEADER] == 3
    assert letter.properties.headers[ERROR_HEADER] == "ValueError: attempt 3"
    assert letter.properties.headers[QUEUE_HEADER] == queue
    assert letter.properties.delivery_mode == 2


async def test_headers_and_properties_reach_the_handler(backend: Backend) -> None:
    received: list[tuple[str, Any]] = []

    class Service(ServiceStub):
        @amqp(backend.key, message_envelope=None)
        async def handler(self, message: str, properties: Any) -> None:
            received.append((message, properties))

    await backend.start(Service({"queue_name_prefix": backend.prefix}))
    channel = await backend.channel()
    properties = {
        "content_type": "text/plain",
        "content_encoding": "utf-8",
        "message_id": "m-1",
        "correlation_id": "c-1",
        "app_id": "conformance",
        "priority": 3,
        "headers": {"text": "value", "number": 7, "flag": True},
    }
    await channel.publish(b"with properties", "amq.topic", backend.key, properties)
    await wait_until(lambda: len(received) == 1, within=WITHIN)
    message, seen = received[0]
    assert message == "with properties"
    for name, value in properties.items():
        assert getattr(seen, name) == value, name
    assert seen.delivery_mode is None


async def test_a_message_past_its_ttl_is_dead_lettered_with_the_reason(backend: Backend) -> None:
    target, waiting, per_message = backend.queue("target"), backend.queue("waiting"), backend.queue("each")
    channel = await backend.channel()
    await channel.declare_queue(target)
    dead_letter = {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": target}
    await channel.declare_queue(waiting, {"x-message-ttl": 20, **dead_letter})
    await channel.declare_queue(per_message, dead_letter)
    arrived = await backend.collect(target)
    await channel.publish(b"queue ttl", "", waiting, {"headers": {"kept": "yes"}})
    await wait_until(lambda: len(arrived) == 1, within=WITHIN)
    await channel.publish(b"message ttl", "", per_message, {"expiration": "20"})
    await wait_until(lambda: len(arrived) == 2, within=WITHIN)
    first, second = arrived
    assert (first.body, first.exchange, first.routing_key) == (b"queue ttl", "", target)
    assert first.properties.headers["kept"] == "yes"
    [death] = first.properties.headers["x-death"]
    assert (death["reason"], death["queue"], death["exchange"]) == ("expired", waiting, "")
    assert "original-expiration" not in death
    assert second.properties.expiration is None
    [death] = second.properties.headers["x-death"]
    assert (death["queue"], death["original-expiration"]) == (per_message, "20")


async def test_a_nack_requeues_at_the_head_redelivered_or_dead_letters(backend: Backend) -> None:
    rejected, source = backend.queue("rejected"), backend.queue("source")
    channel = await backend.channel(confirms=False)
    await channel.declare_queue(rejected)
    await channel.declare_queue(source, {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": rejected})
    for body in (b"a", b"b"):
        await channel.publish(body, "", source)
    received: list[Delivery] = []

    async def on_delivery(delivery: Delivery) -> None:
        received.append(delivery)

    dead = await backend.collect(rejected)
    await channel.qos(1, connection_global=False)
    await channel.consume(source, on_delivery)
    await wait_until(lambda: len(received) == 1, within=WITHIN)
    await channel.nack(received[0].delivery_tag, requeue=True)
    await wait_until(lambda: len(received) == 2, within=WITHIN)
    assert (received[1].body, received[1].redelivered) == (b"a", True)
    await channel.nack(received[1].delivery_tag, requeue=False)
    await wait_until(lambda: len(received) == 3 and len(dead) == 1, within=WITHIN)
    assert (received[2].body, received[2].redelivered) == (b"b", False)
    assert dead[0].body == b"a"
    assert dead[0].properties.headers["x-death"][0]["reason"] == "rejected"
    await channel.close()
    again = await backend.collect(source)
    await wait_until(lambda: len(again) == 1, within=WITHIN)
    assert (again[0].body, again[0].redelivered) == (b"b", True)


async def test_the_broker_refuses_what_rabbitmq_refuses_with_its_reply_codes(backend: Backend) -> None:
    queue = backend.queue("refusals")
    channel = await backend.channel()
    await channel.declare_queue(queue, {"x-expires": 60000})
    with pytest.raises(AmqpChannelClosed) as redeclared:
        await channel.declare_queue(queue, {"x-expires": 120000})
    assert redeclared.value.reply_code == 406
    assert not channel.is_open
    channel = await backend.channel()
    with pytest.raises(AmqpChannelClosed) as missing_exchange:
        await channel.publish(b"x", f"{backend.prefix}missing", "k")
    assert missing_exchange.value.reply_code == 404
    channel = await backend.channel()
    with pytest.raises(AmqpChannelClosed) as missing_queue:
        await channel.bind(f"{backend.prefix}missing", "amq.topic", "k")
    assert missing_queue.value.reply_code == 404
    channel = await backend.channel()
    with pytest.raises(AmqpChannelClosed) as reserved:
        await channel.declare_exchange(f"amq.{backend.prefix}")
    assert reserved.value.reply_code == 403


async def test_a_consumer_gets_no_more_than_its_prefetch_and_the_others_take_the_rest(
    backend: Backend,
) -> None:
    queue = backend.queue("prefetch")
    channel = await backend.channel(confirms=False)
    await channel.declare_queue(queue)
    held: list[Delivery] = []

    async def hold(delivery: Delivery) -> None:
        held.append(delivery)

    await channel.qos(2, connection_global=False)
    await channel.consume(queue, hold)
    others = await backend.collect(queue)
    publisher = await backend.channel()
    for n in range(6):
        await publisher.publish(str(n).encode(), "", queue)
    await wait_until(lambda: len(held) + len(others) == 6, within=WITHIN)
    assert [d.body for d in held] == [b"0", b"2"]
    assert [d.body for d in others] == [b"1", b"3", b"4", b"5"]


async def test_the_runtime_reconnects_after_its_connections_are_closed_and_loses_nothing(
    backend: Backend,
) -> None:
    handled: list[str] = []
    release = asyncio.Event()

    class Service(ServiceStub):
        @amqp(backend.key, message_envelope=None)
        async def handler(self, message: str) -> None:
            if message == "held" and not release.is_set():
                await release.wait()
            handled.append(message)

    service = Service({"queue_name_prefix": backend.prefix})
    runtime = await backend.start(service)
    await amqp_publish(service, "held", routing_key=backend.key)
    await wait_until(lambda: runtime.current_tasks == 1, within=WITHIN)
    await backend.drop_connections(runtime)
    release.set()
    await wait_until(lambda: runtime.reconnects == 1, within=WITHIN)
    for n in range(5):
        await amqp_publish(service, f"after-{n}", routing_key=backend.key)
    await wait_until(lambda: len(set(handled)) == 6, within=WITHIN)
    assert set(handled) == {"held", *(f"after-{n}" for n in range(5))}


async def test_properties_the_client_cannot_encode_are_refused_before_sending(backend: Backend) -> None:
    channel = await backend.channel()
    with pytest.raises(TypeError):
        await channel.publish(b"x", "amq.topic", backend.key, {"expiration": 1000})
    with pytest.raises(ValueError, match="delivery_mode"):
        await channel.publish(b"x", "amq.topic", backend.key, {"delivery_mode": 3})
    assert channel.is_open


async def test_a_channel_wide_prefetch_is_shared_by_the_consumers_of_the_channel(backend: Backend) -> None:
    queue = backend.queue("channel-prefetch")
    channel = await backend.channel(confirms=False)
    await channel.declare_queue(queue)
    held: list[Delivery] = []

    async def hold(delivery: Delivery) -> None:
        held.append(delivery)

    await channel.qos(3, connection_global=True)
    await channel.consume(queue, hold)
    await channel.consume(queue, hold)
    others = await backend.collect(queue)
    publisher = await backend.channel()
    for n in range(10):
        await publisher.publish(str(n).encode(), "", queue)
    await wait_until(lambda: len(held) + len(others) == 10, within=WITHIN)
    assert [d.body for d in held] == [b"0", b"1", b"3"]
    assert [d.body for d in others] == [b"2", *(str(n).encode() for n in range(4, 10))]


async def test_declaring_a_queue_again_gives_its_consumer_count(backend: Backend) -> None:
    queue = backend.queue("counted")
    channel = await backend.channel()
    assert await channel.declare_queue(queue, {"x-expires": 60000}) == 0
    await backend.collect(queue)
    await backend.collect(queue)
    assert await channel.declare_queue(queue, {"x-expires": 60000}) == 2


async def test_deleting_a_queue_cancels_its_consumers(backend: Backend) -> None:
    queue = backend.queue("deleted")
    channel = await backend.channel(confirms=False)
    await channel.declare_queue(queue)
    cancelled: list[str] = []
    channel.on_cancelled(cancelled.append)

    async def ignore(delivery: Delivery) -> None:
        pass

    tag = await channel.consume(queue, ignore)
    other = await backend.channel()
    await other.delete_queue(queue)
    await wait_until(lambda: cancelled == [tag], within=WITHIN)
    assert channel.is_open
