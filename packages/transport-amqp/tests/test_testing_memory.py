"""The in-memory broker of ``testing``, driven through the library's runtime and ``amqp_publish``."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_transport_amqp import (
    ATTEMPTS_HEADER,
    ERROR_HEADER,
    AmqpChannelClosed,
    AmqpConnectionException,
    AmqpPublishError,
    AmqpRuntime,
    RetryPolicy,
    amqp,
    amqp_publish,
    close_publishers,
)
from tomodachi_transport_amqp._client import connect
from tomodachi_transport_amqp._values import Delivery, Settings
from tomodachi_transport_amqp.testing import (
    FakeClock,
    MemoryBroker,
    ServiceStub,
    handler_specs_of,
    use_memory_broker,
    wait_until,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=1000.0)


@pytest.fixture
def broker(clock: FakeClock) -> Iterator[MemoryBroker]:
    memory = MemoryBroker(clock)
    with use_memory_broker(memory):
        yield memory


MakeRuntime = Callable[[Any], AmqpRuntime]


@pytest.fixture
async def start(broker: MemoryBroker) -> AsyncIterator[Callable[[Any], Any]]:
    made: list[AmqpRuntime] = []

    async def started(service: Any) -> AmqpRuntime:
        runtime = AmqpRuntime(service, handler_specs_of(type(service)), grace_period=1.0)
        made.append(runtime)
        await runtime.start()
        await runtime.consume()
        return runtime

    yield started
    for runtime in made:
        await runtime.drain()
        await runtime.close()
    await close_publishers()


async def test_a_published_message_reaches_the_handler_without_a_broker(
    broker: MemoryBroker, start: Any
) -> None:
    received: list[tuple[Any, str]] = []

    class Service(ServiceStub):
        @amqp("orders.created")
        async def handler(self, data: Any, routing_key: str) -> None:
            received.append((data, routing_key))

    service = Service(message_envelope=JsonBase)
    await start(service)
    await amqp_publish(service, {"n": 1}, routing_key="orders.created")
    await wait_until(lambda: len(received) == 1, within=2.0)
    assert received == [({"n": 1}, "orders.created")]
    [published] = broker.published(routing_key="orders.created")
    assert published.exchange == "amq.topic"
    assert published.properties["delivery_mode"] == 2
    assert published.json()["data"] == {"n": 1}


async def test_topic_bindings_match_one_word_with_a_star_and_any_words_with_a_hash(
    broker: MemoryBroker, start: Any
) -> None:
    received: list[tuple[str, str]] = []

    class Service(ServiceStub):
        @amqp("stock.*")
        async def one_word(self, message: str) -> None:
            received.append(("*", message))

        @amqp("stock.#")
        async def any_words(self, message: str) -> None:
            received.append(("#", message))

        @amqp("#.eur")
        async def ending(self, message: str) -> None:
            received.append(("#.eur", message))

    await start(Service())
    for key in ("stock", "stock.a", "stock.a.eur", "stocks.a", "eur"):
        await broker.publish_raw(key, key)
    await wait_until(lambda: len(received) == 6, within=2.0)
    assert sorted(received) == [
        ("#", "stock"),
        ("#", "stock.a"),
        ("#", "stock.a.eur"),
        ("#.eur", "eur"),
        ("#.eur", "stock.a.eur"),
        ("*", "stock.a"),
    ]


async def test_a_failing_handler_gets_the_message_again_after_each_delay_then_it_is_dead_lettered(
    broker: MemoryBroker, start: Any
) -> None:
    attempts: list[int] = []

    class Service(ServiceStub):
        @amqp("jobs.run", retry_policy=RetryPolicy(attempts=3, delay=10.0))
        async def handler(self, message: str) -> None:
            attempts.append(len(attempts) + 1)
            raise ValueError(f"attempt {len(attempts)} failed")

    runtime = await start(Service())
    queue = runtime.consumers[0].queue
    await broker.publish_raw("jobs.run", "work")
    await wait_until(lambda: len(broker.messages(f"{queue}.retry.10000")) == 1, within=2.0)
    await broker.advance(9.0)
    assert attempts == [1]
    await broker.advance(1.0)
    await wait_until(lambda: len(broker.messages(f"{queue}.retry.20000")) == 1, within=2.0)
    assert attempts == [1, 2]
    await broker.advance(20.0)
    await wait_until(lambda: len(broker.dead_letters(queue)) == 1, within=2.0)
    assert attempts == [1, 2, 3]
    [dead] = broker.dead_letters(queue)
    assert dead.text == "work"
    assert dead.headers[ATTEMPTS_HEADER] == 3
    assert dead.headers[ERROR_HEADER] == "ValueError: attempt 3 failed"
    assert broker.messages(queue) == []


async def test_a_message_past_its_ttl_is_dead_lettered_with_an_x_death_record(broker: MemoryBroker) -> None:
    connection = await connect(Settings(), "test")
    channel = await connection.channel(confirms=True)
    await channel.declare_queue("target")
    await channel.declare_queue(
        "waiting",
        {"x-message-ttl": 5000, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "target"},
    )
    await channel.publish(b"later", "", "waiting", {"expiration": "3000", "headers": {"k": "v"}})
    await broker.advance(2.9)
    assert [m.text for m in broker.messages("waiting")] == ["later"]
    await broker.advance(0.1)
    [moved] = broker.messages("target")
    assert moved.exchange == ""
    assert moved.routing_key == "target"
    assert "expiration" not in moved.properties
    assert moved.headers["k"] == "v"
    [death] = moved.headers["x-death"]
    assert (death["reason"], death["queue"], death["count"]) == ("expired", "waiting", 1)
    await connection.close()


async def test_competing_consumers_of_two_instances_take_turns(broker: MemoryBroker, start: Any) -> None:
    handled: list[tuple[str, str]] = []

    class Service(ServiceStub):
        @amqp("shared.work")
        async def handler(self, message: str) -> None:
            handled.append((self.uuid, message))

    first, second = Service(), Service()
    await start(first)
    await start(second)
    for n in range(10):
        await broker.publish_raw("shared.work", str(n))
    await wait_until(lambda: len(handled) == 10, within=2.0)
    assert sorted(int(m) for _, m in handled) == list(range(10))
    assert {uuid for uuid, _ in handled} == {first.uuid, second.uuid}


async def test_non_competing_instances_each_get_every_message(broker: MemoryBroker, start: Any) -> None:
    handled: list[str] = []

    class Service(ServiceStub):
        @amqp("fan.out", competing=False)
        async def handler(self, message: str) -> None:
            handled.append(self.uuid)

    first, second = Service(), Service()
    await start(first)
    await start(second)
    await broker.publish_raw("fan.out", "hello")
    await wait_until(lambda: len(handled) == 2, within=2.0)
    assert sorted(handled) == sorted([first.uuid, second.uuid])


async def test_the_runtime_reconnects_after_the_broker_drops_every_connection_and_loses_nothing(
    broker: MemoryBroker, start: Any
) -> None:
    handled: list[str] = []
    release = asyncio.Event()

    class Service(ServiceStub):
        @amqp("keep.going")
        async def handler(self, message: str, properties: Any) -> None:
            if message == "slow" and not release.is_set():
                await release.wait()
            handled.append(message)

    runtime = await start(Service())
    await broker.publish_raw("keep.going", "slow")
    await wait_until(lambda: runtime.current_tasks == 1, within=2.0)
    assert await broker.drop_connections() >= 1
    release.set()
    await wait_until(lambda: runtime.reconnects == 1, within=5.0)
    await broker.publish_raw("keep.going", "after")
    await wait_until(lambda: "after" in handled and handled.count("slow") >= 1, within=5.0)
    assert broker.messages(runtime.consumers[0].queue) == []
    assert runtime.connection_name in broker.connection_names()


async def test_unacknowledged_deliveries_return_redelivered_when_their_channel_closes(
    broker: MemoryBroker,
) -> None:
    connection = await connect(Settings(), "test")
    channel = await connection.channel()
    await channel.declare_queue("q")
    await channel.qos(2, connection_global=False)
    got: list[Delivery] = []

    async def on_delivery(delivery: Delivery) -> None:
        got.append(delivery)

    await channel.consume("q", on_delivery)
    for body in (b"1", b"2", b"3"):
        await channel.publish(body, "", "q")
    await wait_until(lambda: len(got) == 2, within=2.0)
    assert [m.body for m in broker.messages("q")] == [b"3"]
    await channel.close()
    assert [(m.body, m.redelivered) for m in broker.messages("q")] == [
        (b"1", True),
        (b"2", True),
        (b"3", False),
    ]
    await connection.close()


async def test_a_nack_requeues_at_the_head_or_dead_letters_the_message(broker: MemoryBroker) -> None:
    connection = await connect(Settings(), "test")
    channel = await connection.channel()
    await channel.declare_queue("rejected")
    await channel.declare_queue("q", {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": "rejected"})
    got: list[Delivery] = []

    async def on_delivery(delivery: Delivery) -> None:
        got.append(delivery)

    await channel.qos(1, connection_global=False)
    await channel.consume("q", on_delivery)
    await channel.publish(b"a", "", "q")
    await channel.publish(b"b", "", "q")
    await wait_until(lambda: len(got) == 1, within=2.0)
    await channel.nack(got[0].delivery_tag, requeue=True)
    await wait_until(lambda: len(got) == 2, within=2.0)
    assert (got[1].body, got[1].redelivered) == (b"a", True)
    await channel.nack(got[1].delivery_tag, requeue=False)
    await wait_until(lambda: len(got) == 3, within=2.0)
    assert got[2].body == b"b"
    assert [m.headers["x-death"][0]["reason"] for m in broker.messages("rejected")] == ["rejected"]
    await connection.close()


async def test_the_broker_refuses_as_rabbitmq_does_and_closes_the_channel(broker: MemoryBroker) -> None:
    connection = await connect(Settings(), "test")
    channel = await connection.channel(confirms=True)
    await channel.declare_queue("q", {"x-expires": 1000})
    with pytest.raises(AmqpChannelClosed) as redeclared:
        await channel.declare_queue("q", {"x-expires": 2000})
    assert redeclared.value.reply_code == 406
    assert not channel.is_open
    with pytest.raises(AmqpConnectionException):
        await channel.declare_queue("q", {"x-expires": 1000})
    cases: list[tuple[Any, int]] = [
        (lambda c: c.publish(b"x", "no-such-exchange", "k"), 404),
        (lambda c: c.bind("no-such-queue", "amq.topic", "k"), 404),
        (lambda c: c.bind("q", "no-such-exchange", "k"), 404),
        (lambda c: c.consume("no-such-queue", None), 404),
        (lambda c: c.declare_exchange("amq.mine"), 403),
    ]
    for operation, code in cases:
        channel = await connection.channel(confirms=True)
        with pytest.raises(AmqpChannelClosed) as refused:
            await operation(channel)
        assert refused.value.reply_code == code
    assert connection.is_open
    await connection.close()
    with pytest.raises(AmqpConnectionException):
        await connection.channel()


async def test_use_memory_broker_restores_the_real_connection_on_exit() -> None:
    broker = MemoryBroker()
    with use_memory_broker(broker):
        connection = await connect(Settings(), "inside")
        assert broker.connection_names() == ["inside"]
        await connection.close()
    with pytest.raises(AmqpConnectionException):
        await connect(Settings(port=1), "outside")
    assert broker.connection_names() == []


async def test_advance_needs_a_clock_that_can_be_moved() -> None:
    with pytest.raises(TypeError):
        await MemoryBroker().advance(1.0)


async def test_reset_forgets_queues_publishes_and_connections(broker: MemoryBroker) -> None:
    connection = await connect(Settings(), "test")
    channel = await connection.channel()
    await channel.declare_queue("q")
    await broker.publish_raw("q", b"x", exchange="")
    assert broker.queue_names() == ["q"]
    broker.reset()
    assert broker.queue_names() == []
    assert broker.published() == []
    assert not connection.is_open
    with pytest.raises(KeyError):
        broker.messages("q")


def test_importing_the_transport_does_not_import_its_testing_package() -> None:
    code = (
        "import sys, tomodachi_transport_amqp, tomodachi_transport_amqp._runtime, "
        "tomodachi_transport_amqp._publish\n"
        "assert 'tomodachi_transport_amqp.testing' not in sys.modules, 'testing imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


async def test_while_the_broker_is_stopped_publishing_fails_and_the_runtime_reconnects_once_it_is_back(
    broker: MemoryBroker, start: Any
) -> None:
    handled: list[str] = []

    class Service(ServiceStub):
        @amqp("after.restart", message_envelope=None)
        async def handler(self, message: str) -> None:
            handled.append(message)

    service = Service()
    runtime = await start(service)
    await broker.publish_raw("after.restart", "kept")
    await wait_until(lambda: handled == ["kept"], within=2.0)
    await broker.stop()
    assert broker.connection_names() == []
    with pytest.raises(AmqpPublishError):
        await amqp_publish(service, "lost", routing_key="after.restart", retry_for=0.2)
    broker.start()
    await wait_until(lambda: runtime.reconnects == 1, within=10.0)
    await amqp_publish(service, "back", routing_key="after.restart")
    await wait_until(lambda: handled == ["kept", "back"], within=2.0)


async def test_a_deleted_queue_cancels_its_consumer_and_the_runtime_declares_it_again(
    broker: MemoryBroker, start: Any
) -> None:
    handled: list[str] = []

    class Service(ServiceStub):
        @amqp("deleted.queue", message_envelope=None)
        async def handler(self, message: str) -> None:
            handled.append(message)

    runtime = await start(Service())
    queue = runtime.consumers[0].queue
    connection = await connect(Settings(), "test")
    channel = await connection.channel()
    await channel.delete_queue(queue)
    assert broker.consumer_count(queue) == 0
    await wait_until(lambda: broker.consumer_count(queue) == 1, within=10.0)
    await broker.publish_raw("deleted.queue", "again")
    await wait_until(lambda: handled == ["again"], within=2.0)
    await connection.close()


async def test_properties_the_client_cannot_encode_are_refused_as_the_client_refuses_them(
    broker: MemoryBroker,
) -> None:
    connection = await connect(Settings(), "test")
    channel = await connection.channel(confirms=True)
    with pytest.raises(TypeError):
        await channel.publish(b"x", "amq.topic", "k", {"expiration": 1000})
    with pytest.raises(TypeError):
        await channel.publish(b"x", "amq.topic", "k", {"no_such_property": "x"})
    with pytest.raises(ValueError, match="delivery_mode"):
        await channel.publish(b"x", "amq.topic", "k", {"delivery_mode": 3})
    assert broker.published() == []
    await connection.close()


async def test_direct_and_fanout_exchanges_route_as_theirs_do(broker: MemoryBroker) -> None:
    broker.declare_exchange("fan", "fanout")
    broker.declare_exchange("exact", "direct")
    with pytest.raises(ValueError, match="inequivalent"):
        broker.declare_exchange("fan", "topic")
    connection = await connect(Settings(), "test")
    channel = await connection.channel()
    for queue in ("one", "two"):
        await channel.declare_queue(queue)
        await channel.bind(queue, "fan", "ignored")
    await channel.bind("one", "exact", "a.*")
    await broker.publish_raw("anything", "to all", exchange="fan")
    await broker.publish_raw("a.*", "literal", exchange="exact")
    await broker.publish_raw("a.b", "no match", exchange="exact")
    assert [m.text for m in broker.messages("one")] == ["to all", "literal"]
    assert [m.text for m in broker.messages("two")] == ["to all"]
    assert [m.text for m in broker.published(exchange="exact")] == ["literal", "no match"]
    await connection.close()


async def test_a_message_expiring_round_a_cycle_of_queues_is_dropped_when_it_comes_back(
    broker: MemoryBroker,
) -> None:
    connection = await connect(Settings(), "test")
    channel = await connection.channel()
    await channel.declare_queue(
        "ping", {"x-message-ttl": 10, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "pong"}
    )
    await channel.declare_queue(
        "pong", {"x-message-ttl": 10, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "ping"}
    )
    await broker.publish_raw("ping", "ball", exchange="")
    await broker.advance(0.01)
    assert [m.text for m in broker.messages("pong")] == ["ball"]
    await broker.advance(0.01)
    assert broker.messages("ping") == broker.messages("pong") == []
    await connection.close()
