"""One battery of SNS+SQS behaviour, run on the in-memory AWS and on a moto server.

Every test gets a ``backend``: ``memory`` installs a ``MemoryAWS`` on a ``ManualClock`` (time moves only
when a wait asks it to, so visibility timeouts and backoffs take no real time); ``moto`` points every
client at a moto server started once for the session, with names of the test's own. The tests speak only
through the library: ``Publisher``, ``publish``/``send_message`` and the runtime of a stub service.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_middleware import handler_specs
from tomodachi_transport_awssnssqs import (
    AWSClientError,
    AWSEndpointURLsOptions,
    AWSSNSSQSInternalServiceError,
    AWSSNSSQSOptions,
    AWSSNSSQSTransport,
    ConsumerSettings,
    Publisher,
    SNSSQSRuntime,
    aws_sns_sqs,
    publish,
    send_message,
)
from tomodachi_transport_awssnssqs.testing import (
    DUMMY_CREDENTIALS,
    ManualClock,
    MemoryAWS,
    moto_server,
    moto_settings,
    use_memory_aws,
)

WITHIN = 20.0
SETTINGS = ConsumerSettings(wait_time=1, retry_initial=1, retry_max=1, outage_initial=0.2, outage_max=1)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    previous = {key: os.environ.get(key) for key in DUMMY_CREDENTIALS}
    os.environ.update(DUMMY_CREDENTIALS)
    try:
        with moto_server() as url:
            yield url
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class Options:
    """The options sections a service gives the transport."""

    def __init__(self, url: str | None) -> None:
        self.aws_sns_sqs = AWSSNSSQSOptions(region_name="us-east-1")
        self.aws_endpoint_urls = AWSEndpointURLsOptions(sns=url, sqs=url)


class Backend:
    """An AWS for one test: names of its own, a publisher, runtimes, and a way to let time pass."""

    def __init__(self, name: str, url: str | None = None, aws: MemoryAWS | None = None) -> None:
        self.name = name
        self.url = url
        self.aws = aws
        self.tag = uuid.uuid4().hex[:8]
        self.publisher = Publisher(settings=moto_settings(url or "http://memory.invalid"))
        self._runtimes: list[SNSSQSRuntime] = []

    def unique(self, name: str) -> str:
        """A topic or queue name of this test alone."""
        return f"{name}-{self.tag}"

    def service(self, name: str, **attributes: Any) -> Any:
        """A stub service instance of a new class holding ``attributes`` (its handlers among them)."""
        namespace = {"name": name, "message_envelope": JsonBase, **attributes}
        stub = type(f"Service_{name.replace('-', '_')}", (), namespace)()
        stub.uuid = uuid.uuid4().hex
        stub.options = Options(self.url)
        return stub

    async def start(self, service: Any, settings: ConsumerSettings = SETTINGS) -> SNSSQSRuntime:
        specs = [spec for value in vars(type(service)).values() for spec in handler_specs(value)]
        runtime = AWSSNSSQSTransport(settings, grace_period=2.0).create_runtime(service, specs)
        self._runtimes.append(runtime)
        await runtime.start()
        await runtime.consume()
        return runtime

    async def eventually(
        self, check: Callable[[], bool], *, within: float = WITHIN, clock_step: float = 0
    ) -> None:
        """Wait, up to ``within`` real seconds, until ``check()`` holds; on the memory backend the clock
        moves ``clock_step`` seconds at each look, so that visibility timeouts and backoffs pass."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not check():
            if loop.time() > deadline:
                raise AssertionError(f"condition not met within {within} s on {self.name}")
            if self.aws is not None and clock_step:
                await self.aws.advance(clock_step)
            await asyncio.sleep(0.02)

    async def receive(self, queue_url: str) -> list[dict[str, Any]]:
        """Receive (and delete) what a queue holds now, in one call, with every attribute."""
        response = await self.publisher.client.call(
            "sqs",
            "receive_message",
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=0,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages: list[dict[str, Any]] = response.get("Messages", [])
        for message in messages:
            await self.publisher.client.call(
                "sqs", "delete_message", QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"]
            )
        return messages

    async def queue_is_empty(self, queue_url: str) -> bool:
        response = await self.publisher.client.call(
            "sqs",
            "get_queue_attributes",
            QueueUrl=queue_url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )
        counts: dict[str, str] = response["Attributes"]
        return (
            counts["ApproximateNumberOfMessages"] == "0"
            and counts["ApproximateNumberOfMessagesNotVisible"] == "0"
        )

    async def drained(self, queue_url: str, *, clock_step: float = 0) -> None:
        """Wait until the queue holds nothing, visible or in flight: every message was handled and deleted."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + WITHIN
        while not await self.queue_is_empty(queue_url):
            if loop.time() > deadline:
                raise AssertionError(f"the queue did not drain within {WITHIN} s on {self.name}")
            if self.aws is not None and clock_step:
                await self.aws.advance(clock_step)
            await asyncio.sleep(0.05)

    async def cleanup(self) -> None:
        for runtime in self._runtimes:
            await runtime.drain()
            await runtime.close()
        await self.publisher.close()


@pytest.fixture(params=["memory", "moto"])
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    if request.param == "memory":
        aws = MemoryAWS(clock=ManualClock())
        with use_memory_aws(aws):
            chosen = Backend("memory", aws=aws)
            yield chosen
            await chosen.cleanup()
    else:
        chosen = Backend("moto", url=request.getfixturevalue("moto_endpoint"))
        yield chosen
        await chosen.cleanup()


async def test_a_published_message_reaches_its_handler_with_its_keywords(backend: Backend) -> None:
    topic = backend.unique("delivery")
    received: list[tuple[Any, ...]] = []

    @aws_sns_sqs(topic)
    async def handler(
        self: Any,
        data: Any,
        topic: str,
        message_type: str,
        approximate_receive_count: int,
        sns_message_id: str,
    ) -> None:
        received.append((data, topic, message_type, approximate_receive_count, sns_message_id))

    await backend.start(backend.service("delivery", handler=handler))
    message_id = await backend.publisher.publish(topic, {"n": 1}, message_envelope=JsonBase)
    await backend.eventually(lambda: len(received) == 1)
    assert received == [({"n": 1}, topic, "Notification", 1, message_id)]


async def test_sns_fans_a_message_out_to_every_subscribed_queue(backend: Backend) -> None:
    topic = backend.unique("fanout")
    received: list[tuple[str, Any]] = []

    @aws_sns_sqs(topic, queue_name=backend.unique("fanout-one"))
    async def first(self: Any, data: Any) -> None:
        received.append(("first", data))

    @aws_sns_sqs(topic, queue_name=backend.unique("fanout-two"))
    async def second(self: Any, data: Any) -> None:
        received.append(("second", data))

    await backend.start(backend.service("fanout", first=first, second=second))
    await backend.publisher.publish(topic, {"n": 1}, message_envelope=JsonBase)
    await backend.eventually(lambda: len(received) == 2)
    assert sorted(received) == [("first", {"n": 1}), ("second", {"n": 1})]


async def test_a_filter_policy_lets_only_matching_messages_into_the_queue(backend: Backend) -> None:
    topic = backend.unique("filtered")
    received: list[str] = []
    policy = {
        "event": ["order_paid", {"prefix": "refund_"}],
        "currency": [{"anything-but": ["SEK"]}],
        "amount": [{"numeric": [">", 10, "<=", 100]}],
        "test": [{"exists": False}],
    }

    @aws_sns_sqs(topic, filter_policy=policy)
    async def handler(self: Any, data: Any) -> None:
        received.append(data)

    runtime = await backend.start(backend.service("filtered", handler=handler))
    cases = {
        "paid": {"event": "order_paid", "currency": "EUR", "amount": 50},
        "refund": {"event": "refund_partial", "currency": "USD", "amount": 100},
        "wrong-event": {"event": "order_created", "currency": "EUR", "amount": 50},
        "excluded-currency": {"event": "order_paid", "currency": "SEK", "amount": 50},
        "too-small": {"event": "order_paid", "currency": "EUR", "amount": 10},
        "marked-test": {"event": "order_paid", "currency": "EUR", "amount": 50, "test": "yes"},
        "no-attributes": {},
    }
    for name, attributes in cases.items():
        await backend.publisher.publish(topic, name, message_envelope=JsonBase, message_attributes=attributes)
    await backend.eventually(lambda: sorted(received) == ["paid", "refund"])
    await backend.drained(runtime.consumers[0].queue_url)
    assert sorted(received) == ["paid", "refund"]


async def test_fifo_messages_keep_their_order_within_each_group(backend: Backend) -> None:
    topic = backend.unique("ordered")
    received: list[tuple[str, int]] = []

    @aws_sns_sqs(topic, fifo=True)
    async def handler(self: Any, data: Any, message_group_id: str) -> None:
        received.append((message_group_id, data["n"]))

    await backend.start(backend.service("ordered", handler=handler))
    for n in range(8):
        await backend.publisher.publish(
            topic, {"n": n}, message_envelope=JsonBase, group_id="odd" if n % 2 else "even"
        )
    await backend.eventually(lambda: len(received) == 8)
    assert [n for group, n in received if group == "even"] == [0, 2, 4, 6]
    assert [n for group, n in received if group == "odd"] == [1, 3, 5, 7]


async def test_fifo_deduplication_drops_a_repeated_deduplication_id(backend: Backend) -> None:
    topic = backend.unique("dedup")
    received: list[int] = []

    @aws_sns_sqs(topic, fifo=True)
    async def handler(self: Any, data: Any) -> None:
        received.append(data["n"])

    runtime = await backend.start(backend.service("dedup", handler=handler))
    for n, dedup in ((1, "a"), (2, "a"), (3, "b")):
        await backend.publisher.publish(
            topic, {"n": n}, message_envelope=JsonBase, group_id="g", deduplication_id=dedup
        )
    await backend.eventually(lambda: 3 in received)
    await backend.drained(runtime.consumers[0].queue_url)
    assert received == [1, 3]


async def test_competing_consumers_on_one_queue_handle_each_message_once(backend: Backend) -> None:
    topic, queue = backend.unique("competing"), backend.unique("competing-q")
    received: list[tuple[str, int]] = []

    @aws_sns_sqs(topic, queue_name=queue)
    async def handler(self: Any, data: Any) -> None:
        received.append((self.uuid, data["n"]))

    first = backend.service("competing", handler=handler)
    second = backend.service("competing", handler=handler)
    runtime = await backend.start(first)
    await backend.start(second)
    for n in range(20):
        await backend.publisher.publish(topic, {"n": n}, message_envelope=JsonBase)
    await backend.eventually(lambda: len(received) >= 20)
    await backend.drained(runtime.consumers[0].queue_url)
    assert sorted(n for _, n in received) == list(range(20))
    assert {who for who, _ in received} <= {first.uuid, second.uuid}


async def test_a_message_whose_handler_failed_is_delivered_again(backend: Backend) -> None:
    topic = backend.unique("redeliver")
    counts: list[int] = []

    @aws_sns_sqs(topic)
    async def handler(self: Any, data: Any, approximate_receive_count: int) -> None:
        counts.append(approximate_receive_count)
        if len(counts) == 1:
            raise RuntimeError("fails the first time")

    await backend.start(backend.service("redeliver", handler=handler))
    await backend.publisher.publish(topic, {"n": 1}, message_envelope=JsonBase)
    await backend.eventually(lambda: len(counts) == 2, clock_step=0.25)
    assert counts == [1, 2]


async def test_a_message_failing_max_receive_count_times_lands_in_the_dead_letter_queue(
    backend: Backend,
) -> None:
    topic, dlq = backend.unique("poison"), backend.unique("poison-dlq")
    counts: list[int] = []

    @aws_sns_sqs(topic, dead_letter_queue_name=dlq, max_receive_count=2)
    async def handler(self: Any, data: Any, approximate_receive_count: int) -> None:
        counts.append(approximate_receive_count)
        raise AWSSNSSQSInternalServiceError("keep it")

    runtime = await backend.start(backend.service("poison", handler=handler))
    dlq_url = runtime.consumers[0].dead_letter_queue_url
    assert dlq_url is not None
    await backend.publisher.publish(topic, {"poison": True}, message_envelope=JsonBase)
    dead: list[dict[str, Any]] = []

    async def look() -> None:
        dead.extend(await backend.receive(dlq_url))

    await backend.eventually(lambda: len(counts) == 2, clock_step=0.25)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WITHIN
    await look()
    while not dead and loop.time() < deadline:
        # SQS moves the message on the receive after its max_receive_count-th: the consumer's next one.
        if backend.aws is not None:
            await backend.aws.advance(0.25)
        await asyncio.sleep(0.05)
        await look()
    assert counts == [1, 2]
    assert json.loads(json.loads(dead[0]["Body"])["Message"])["data"] == {"poison": True}


async def test_message_attributes_of_every_type_reach_the_handler(backend: Backend) -> None:
    topic, queue = backend.unique("attributes"), backend.unique("attributes-q")
    received: list[dict[str, Any]] = []
    attributes = {"s": "text", "i": 5, "f": 1.5, "b": b"\x00\x01", "l": [1, "a", None, True]}
    json_values = {"t": True, "n": None}  # String.Array attributes whose text is not a JSON array

    @aws_sns_sqs(topic, queue_name=queue)
    async def handler(self: Any, data: Any, message_attributes: dict[str, Any]) -> None:
        received.append(message_attributes)

    service = backend.service("attributes", handler=handler)
    await backend.start(service)
    await publish(service, {"via": "sns"}, topic, message_attributes=attributes)
    await send_message(service, {"via": "sqs"}, queue, message_attributes={**attributes, **json_values})
    await backend.eventually(lambda: len(received) == 2)
    assert sorted(received, key=len) == [attributes, {**attributes, **json_values}]


async def test_sns_refuses_a_string_array_attribute_that_is_not_a_json_array(backend: Backend) -> None:
    topic = backend.unique("array")
    if backend.name == "memory":
        # AWS documents String.Array values as JSON arrays and refuses other text.
        with pytest.raises(AWSClientError) as caught:
            await backend.publisher.publish(topic, "m", message_attributes={"flag": True})
        assert caught.value.code == "InvalidParameterValue"
        assert backend.aws is not None
        assert backend.aws.published(topic) == []
    else:
        # moto does not check String.Array values: the publish goes through.
        assert await backend.publisher.publish(topic, "m", message_attributes={"flag": True})


async def test_a_wildcard_topic_subscribes_the_queue_to_every_matching_existing_topic(
    backend: Backend,
) -> None:
    base = backend.unique("wild")
    received: list[tuple[str, Any]] = []
    for suffix in ("a", "b", "other"):
        await backend.publisher.topic_arn(f"{base}-{suffix}" if suffix != "other" else f"{base}x")

    @aws_sns_sqs(f"{base}-*")
    async def handler(self: Any, data: Any, topic: str) -> None:
        received.append((topic, data))

    runtime = await backend.start(backend.service("wild", handler=handler))
    for topic in (f"{base}-a", f"{base}x", f"{base}-b"):
        await backend.publisher.publish(topic, topic, message_envelope=JsonBase)
    await backend.eventually(lambda: len(received) == 2)
    await backend.drained(runtime.consumers[0].queue_url)
    assert sorted(received) == [(f"{base}-a", f"{base}-a"), (f"{base}-b", f"{base}-b")]


async def test_a_message_sent_straight_to_a_queue_has_no_topic_and_type_message(backend: Backend) -> None:
    queue = backend.unique("direct-q")
    received: list[tuple[Any, str, str]] = []

    @aws_sns_sqs(queue_name=queue)
    async def handler(self: Any, data: Any, topic: str, message_type: str) -> None:
        received.append((data, topic, message_type))

    service = backend.service("direct", handler=handler)
    await backend.start(service)
    await send_message(service, {"n": 1}, queue)
    await backend.eventually(lambda: len(received) == 1)
    assert received == [({"n": 1}, "", "Message")]


async def test_a_failed_fifo_message_holds_its_group_until_it_is_handled(backend: Backend) -> None:
    topic = backend.unique("held")
    received: list[tuple[str, int]] = []
    failed: list[int] = []

    @aws_sns_sqs(topic, fifo=True)
    async def handler(self: Any, data: Any, message_group_id: str) -> None:
        if data["n"] == 0 and not failed:
            failed.append(0)
            raise RuntimeError("the head of group a fails once")
        received.append((message_group_id, data["n"]))

    await backend.start(backend.service("held", handler=handler))
    for n, group in ((0, "a"), (1, "a"), (2, "b"), (3, "a")):
        await backend.publisher.publish(topic, {"n": n}, message_envelope=JsonBase, group_id=group)
    await backend.eventually(lambda: len(received) == 4, clock_step=0.25)
    assert [n for group, n in received if group == "a"] == [0, 1, 3]
    assert failed == [0]
