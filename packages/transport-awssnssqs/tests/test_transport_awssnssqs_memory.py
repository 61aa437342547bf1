"""The in-memory AWS as the library's production code sees it: Publisher, the functions, the runtime."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from tomodachi_envelope import JsonBase, ServiceIdentity
from tomodachi_transport_awssnssqs import (
    AWSClient,
    AWSSNSSQSInternalServiceError,
    ClientSettings,
    ConsumerSettings,
    Publisher,
    QueueDoesNotExistError,
    aws_sns_sqs,
    publish,
    send_message,
)
from tomodachi_transport_awssnssqs._client import new_client
from tomodachi_transport_awssnssqs.testing import ManualClock, MemoryAWS, MemoryClient, use_memory_aws

SERVICE = ServiceIdentity("memory-tests", "4f1c")
SLOW_RETRY = ConsumerSettings(wait_time=20, retry_initial=30, retry_max=60)


async def subscribed_queue(publisher: Publisher, topic: str, queue: str, **attributes: str) -> str:
    """Create ``queue``, subscribe it to ``topic`` (created too) with subscription attributes; its URL."""
    client = publisher.client
    topic_arn = await publisher.topic_arn(topic)
    url = await publisher.create_queue(queue)
    response = await client.call("sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["QueueArn"])
    params: dict[str, Any] = {
        "TopicArn": topic_arn,
        "Protocol": "sqs",
        "Endpoint": response["Attributes"]["QueueArn"],
    }
    if attributes:
        params["Attributes"] = attributes
    await client.call("sns", "subscribe", **params)
    return url


async def test_clients_made_inside_use_memory_aws_are_memory_clients_and_the_default_returns_after() -> None:
    aws = MemoryAWS()
    with use_memory_aws(aws) as installed:
        assert installed is aws
        assert isinstance(Publisher().client, MemoryClient)
        assert isinstance(new_client(ClientSettings()), MemoryClient)
    assert isinstance(Publisher().client, AWSClient)


async def test_a_publisher_given_a_client_keeps_it_inside_use_memory_aws() -> None:
    other = MemoryAWS().client()
    with use_memory_aws(MemoryAWS()):
        assert Publisher(client=other).client is other


async def test_closing_a_client_keeps_what_was_published() -> None:
    aws = MemoryAWS()
    with use_memory_aws(aws):
        async with Publisher(service=SERVICE) as publisher:
            await publisher.publish("kept", "hello")
    assert [p.message for p in aws.published("kept")] == ["hello"]


async def test_published_shows_each_message_with_its_decoded_attributes_and_envelope() -> None:
    aws = MemoryAWS()
    with use_memory_aws(aws):
        async with Publisher(service=SERVICE, message_envelope=JsonBase, topic_prefix="pfx-") as publisher:
            message_id = await publisher.publish(
                "orders", {"id": 7}, message_attributes={"kind": "paid", "amount": 12, "raw": b"\x00"}
            )
    (published,) = aws.published("pfx-orders")
    assert published.message_id == message_id
    assert published.topic == "pfx-orders"
    assert published.topic_arn == "arn:aws:sns:us-east-1:123456789012:pfx-orders"
    assert published.message_attributes == {"kind": "paid", "amount": 12, "raw": b"\x00"}
    assert json.loads(published.message)["data"] == {"id": 7}
    assert aws.published("orders") == []


async def test_a_handler_gets_what_a_publisher_published_with_topic_and_attributes(memory: Any) -> None:
    got: list[tuple[Any, ...]] = []

    class Service:
        name, uuid = "receiver", "r1"
        message_envelope = JsonBase

        @aws_sns_sqs("greetings")
        async def on_greeting(
            self, data: Any, topic: str, message_attributes: dict[str, Any], message_type: str
        ) -> None:
            got.append((data, topic, message_attributes, message_type))

    await memory.start(Service())
    await memory.publisher.publish(
        "greetings", {"hi": 1}, message_envelope=JsonBase, message_attributes={"lang": "en", "n": 2.5}
    )
    await memory.eventually(lambda: len(got) == 1, within=5)
    assert got == [({"hi": 1}, "greetings", {"lang": "en", "n": 2.5}, "Notification")]


async def test_the_sqs_body_is_the_sns_notification_when_raw_delivery_is_off() -> None:
    aws = MemoryAWS(clock=ManualClock(start=1_800_000_000.25))
    with use_memory_aws(aws):
        async with Publisher(service=SERVICE) as publisher:
            await subscribed_queue(publisher, "notes", "notes-q")
            message_id = await publisher.publish(
                "notes", "text", message_attributes={"a": "b", "n": 3, "l": [1]}
            )
    (queued,) = aws.messages("notes-q")
    body = json.loads(queued.body)
    assert body["Type"] == "Notification"
    assert body["MessageId"] == message_id
    assert body["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:notes"
    assert body["Message"] == "text"
    assert body["Timestamp"] == "2027-01-15T08:00:00.250Z"
    assert body["SignatureVersion"] == "1"
    assert body["MessageAttributes"] == {
        "a": {"Type": "String", "Value": "b"},
        "n": {"Type": "Number", "Value": "3"},
        "l": {"Type": "String.Array", "Value": "[1]"},
    }
    assert {"Signature", "SigningCertURL", "UnsubscribeURL"} <= set(body)
    assert len(body["Signature"]) == 344
    assert queued.body.startswith('{\n  "Type" : "Notification",\n  "MessageId" : ')
    assert '\n  "MessageAttributes" : {\n    "a" : {"Type":"String","Value":"b"},\n' in queued.body
    assert queued.message == "text"
    assert queued.message_attributes == {}


async def test_raw_delivery_puts_the_message_as_body_and_its_attributes_on_the_sqs_message() -> None:
    aws = MemoryAWS()
    with use_memory_aws(aws):
        async with Publisher(service=SERVICE) as publisher:
            await subscribed_queue(publisher, "raw", "raw-q", RawMessageDelivery="true")
            await publisher.publish("raw", "plain text", message_attributes={"k": "v", "b": b"\x01\x02"})
    (queued,) = aws.messages("raw-q")
    assert queued.body == "plain text"
    assert queued.notification is None
    assert queued.message_attributes == {"k": "v", "b": b"\x01\x02"}


async def test_send_message_to_a_missing_queue_raises_queue_does_not_exist() -> None:
    with use_memory_aws(MemoryAWS()):
        async with Publisher(service=SERVICE) as publisher:
            with pytest.raises(QueueDoesNotExistError) as caught:
                await publisher.send_message("nowhere", "x", message_envelope=None)
    assert caught.value.code == "AWS.SimpleQueueService.NonExistentQueue"


async def test_the_module_functions_of_a_service_use_the_memory_aws(memory: Any) -> None:
    class Service:
        name, uuid = "functions", "f1"
        options = memory.options()

    service = Service()
    await memory.publisher.create_queue("direct-q")
    await send_message(service, "payload", "direct-q", message_envelope=None)
    task = await publish(service, "to topic", "fn-topic", wait=False, message_envelope=None)
    assert isinstance(task, asyncio.Task)
    await task
    (queued,) = memory.aws.messages("direct-q")
    assert json.loads(queued.body)["Type"] == "Message"
    assert queued.message == "payload"
    assert [p.message for p in memory.aws.published("fn-topic")] == ["to topic"]


async def test_a_failed_message_comes_back_when_the_clock_passes_its_backoff(memory: Any) -> None:
    counts: list[int | None] = []

    class Service:
        name, uuid = "retry", "r"
        message_envelope = JsonBase

        @aws_sns_sqs("retried")
        async def handler(self, data: Any, approximate_receive_count: int | None) -> None:
            counts.append(approximate_receive_count)
            if len(counts) == 1:
                raise RuntimeError("first time fails")

    runtime = await memory.start(Service(), settings=SLOW_RETRY)
    await memory.publisher.publish("retried", {"n": 1}, message_envelope=JsonBase)
    await memory.eventually(lambda: counts == [1], within=5)
    queue = runtime.consumers[0].queue_url
    await memory.eventually(lambda: [m.in_flight for m in memory.aws.messages(queue)] == [True], within=5)
    await memory.aws.advance(29)
    assert counts == [1]
    await memory.aws.advance(1)
    await memory.eventually(lambda: counts == [1, 2], within=5)
    await memory.eventually(lambda: memory.aws.messages(queue) == [], within=5)


async def test_a_message_failing_every_time_moves_to_the_dead_letter_queue(memory: Any) -> None:
    counts: list[int | None] = []

    class Service:
        name, uuid = "poison", "p"
        message_envelope = JsonBase

        @aws_sns_sqs("poisoned", dead_letter_queue_name="poison-dlq", max_receive_count=2)
        async def handler(self, data: Any, approximate_receive_count: int | None) -> None:
            counts.append(approximate_receive_count)
            raise AWSSNSSQSInternalServiceError("keep it")

    runtime = await memory.start(Service(), settings=SLOW_RETRY)
    queue = runtime.consumers[0].queue_url
    await memory.publisher.publish("poisoned", {"bad": True}, message_envelope=JsonBase)
    await memory.eventually(lambda: counts == [1], within=5)
    await memory.aws.advance(30)
    await memory.eventually(lambda: counts == [1, 2], within=5)
    await memory.aws.advance(60)
    await memory.eventually(lambda: len(memory.aws.dead_letters(queue)) == 1, within=5)
    (dead,) = memory.aws.dead_letters(queue)
    assert json.loads(dead.message)["data"] == {"bad": True}
    assert dead.dead_letter_source_arn == f"arn:aws:sqs:us-east-1:123456789012:{queue.rsplit('/', 1)[1]}"
    assert memory.aws.messages(queue) == []
    assert counts == [1, 2]


async def test_fifo_messages_of_one_group_reach_the_handler_in_order(memory: Any) -> None:
    seen: list[tuple[str, int]] = []

    class Service:
        name, uuid = "fifo", "f"
        message_envelope = JsonBase

        @aws_sns_sqs("ordered", fifo=True)
        async def handler(self, data: Any, message_group_id: str) -> None:
            seen.append((message_group_id, data["n"]))

    await memory.start(Service())
    for n in range(6):
        group = "a" if n % 2 else "b"
        await memory.publisher.publish("ordered", {"n": n}, message_envelope=JsonBase, group_id=group)
    await memory.eventually(lambda: len(seen) == 6, within=5)
    assert [n for group, n in seen if group == "a"] == [1, 3, 5]
    assert [n for group, n in seen if group == "b"] == [0, 2, 4]


async def test_publish_raw_and_send_raw_deliver_messages_without_an_envelope(memory: Any) -> None:
    got: list[tuple[str, dict[str, Any]]] = []

    class Service:
        name, uuid = "raw", "r"

        @aws_sns_sqs("raw-in", queue_name="raw-in-q")
        async def handler(self, message: Any, message_attributes: dict[str, Any]) -> None:
            got.append((message, message_attributes))

    await memory.start(Service())
    await memory.aws.publish_raw("raw-in", "from sns", {"via": "sns"})
    await memory.aws.send_raw("raw-in-q", json.dumps({"Message": "from sqs"}), {"via": "sqs"})
    await memory.eventually(lambda: len(got) == 2, within=5)
    assert sorted(got, key=lambda item: item[0]) == [
        ("from sns", {"via": "sns"}),
        ("from sqs", {"via": "sqs"}),
    ]


async def test_send_raw_to_a_missing_queue_raises_queue_does_not_exist() -> None:
    with pytest.raises(QueueDoesNotExistError):
        await MemoryAWS().send_raw("missing", "x")


async def test_reset_forgets_topics_queues_and_messages() -> None:
    aws = MemoryAWS()
    await aws.publish_raw("t", "m")
    await aws.call("sqs", "create_queue", QueueName="q")
    await aws.send_raw("q", "body")
    aws.reset()
    assert (aws.topics(), aws.queues(), aws.published("t"), aws.messages("q")) == ([], [], [], [])


async def test_advance_on_the_real_clock_is_refused() -> None:
    with pytest.raises(TypeError):
        await MemoryAWS().advance(1)


async def test_a_long_poll_returns_as_soon_as_a_message_arrives() -> None:
    aws = MemoryAWS(clock=ManualClock())
    client = aws.client()
    url = (await client.call("sqs", "create_queue", QueueName="waiting"))["QueueUrl"]
    receive = asyncio.create_task(client.call("sqs", "receive_message", QueueUrl=url, WaitTimeSeconds=20))
    await asyncio.sleep(0)
    assert not receive.done()
    await aws.send_raw("waiting", "now")
    response = await asyncio.wait_for(receive, 5)
    assert [m["Body"] for m in response["Messages"]] == ["now"]


async def test_a_long_poll_ends_empty_when_its_wait_time_passes_on_the_clock() -> None:
    aws = MemoryAWS(clock=ManualClock())
    client = aws.client()
    url = (await client.call("sqs", "create_queue", QueueName="idle"))["QueueUrl"]
    receive = asyncio.create_task(client.call("sqs", "receive_message", QueueUrl=url, WaitTimeSeconds=5))
    await aws.advance(4)
    assert not receive.done()
    await aws.advance(1)
    assert await asyncio.wait_for(receive, 5) == {}


@pytest.mark.parametrize("steps", range(8))
async def test_a_cancelled_long_poll_ends_cancelled_whenever_a_message_wakes_it(steps: int) -> None:
    aws = MemoryAWS(clock=ManualClock())
    client = aws.client()
    url = (await client.call("sqs", "create_queue", QueueName="woken"))["QueueUrl"]
    receive = asyncio.create_task(client.call("sqs", "receive_message", QueueUrl=url, WaitTimeSeconds=20))
    for _ in range(3):
        await asyncio.sleep(0)
    sending = asyncio.create_task(aws.send_raw("woken", "m"))
    for _ in range(steps):
        await asyncio.sleep(0)
    finished_first = receive.done()
    receive.cancel()
    await sending
    if finished_first:  # it took the message before the cancel came
        assert [m["Body"] for m in receive.result()["Messages"]] == ["m"]
        return
    with pytest.raises(asyncio.CancelledError):
        await receive
    assert [m.receive_count for m in aws.messages("woken")] == [0]


async def test_a_runtime_sets_its_queue_up_again_after_the_memory_aws_is_reset(memory: Any) -> None:
    got: list[Any] = []

    class Service:
        name, uuid = "recovering", "r"
        message_envelope = JsonBase

        @aws_sns_sqs("recovered")
        async def handler(self, data: Any) -> None:
            got.append(data)

    await memory.start(Service())
    memory.aws.reset()
    deadline = asyncio.get_running_loop().time() + 10
    while not (await memory.aws.call("sns", "list_subscriptions"))["Subscriptions"]:
        assert asyncio.get_running_loop().time() < deadline, "the subscription was not made again"
        await asyncio.sleep(0.05)
    memory.publisher.forget()
    await memory.publisher.publish("recovered", {"after": "reset"}, message_envelope=JsonBase)
    await memory.eventually(lambda: got == [{"after": "reset"}], within=10)


def test_a_memory_aws_runs_on_the_loop_clock_unless_given_another() -> None:
    from tomodachi_transport_awssnssqs.testing import LoopClock

    assert isinstance(MemoryAWS().clock, LoopClock)
    clock = ManualClock()
    assert MemoryAWS(clock=clock).clock is clock
