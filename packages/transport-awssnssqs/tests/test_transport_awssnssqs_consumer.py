from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, ClassVar

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_middleware import handler_context
from tomodachi_transport_awssnssqs import AWSSNSSQSInternalServiceError, ConsumerSettings, aws_sns_sqs


async def test_a_failing_handler_loses_nothing_every_message_handled_once(harness: Any) -> None:
    topic = harness.unique("flaky")
    attempts: dict[int, int] = {}
    handled: list[int] = []

    class Service:
        name, uuid = "flaky", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic)
        async def handler(self, data: dict[str, int]) -> None:
            number = data["n"]
            attempts[number] = attempts.get(number, 0) + 1
            if number % 3 == 0 and attempts[number] == 1:
                raise RuntimeError(f"failing on {number}")
            handled.append(number)

    await harness.start(Service())
    for number in range(12):
        await harness.publisher.publish(topic, {"n": number}, message_envelope=JsonBase)
    await harness.eventually(lambda: len(handled) == 12, within=30)
    await asyncio.sleep(1.5)
    assert sorted(handled) == list(range(12))
    assert {n for n, count in attempts.items() if count == 2} == {0, 3, 6, 9}


async def test_a_handler_runs_with_its_logging_context_and_is_counted(harness: Any) -> None:
    topic = harness.unique("context")
    contexts: list[Any] = []

    class Service:
        name, uuid = "context", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic)
        async def on_event(self, data: Any) -> None:
            contexts.append(handler_context())

    await harness.start(Service())
    await harness.publisher.publish(topic, {"n": 1}, message_envelope=JsonBase)
    await harness.eventually(lambda: len(contexts) == 1, within=30)
    assert contexts == [
        ("tomodachi.awssnssqs.handler", {"handler": "on_event", "type": "tomodachi.awssnssqs"})
    ]


async def test_a_message_failing_every_time_reaches_the_dead_letter_queue(harness: Any) -> None:
    topic, dlq = harness.unique("poison"), harness.unique("poison-dlq")
    calls: list[int | None] = []

    class Service:
        name, uuid = "poison", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic, dead_letter_queue_name=dlq, max_receive_count=2)
        async def handler(self, data: Any, approximate_receive_count: int | None) -> None:
            calls.append(approximate_receive_count)
            raise AWSSNSSQSInternalServiceError("keep it")

    runtime = await harness.start(Service())
    await harness.publisher.publish(topic, {"poison": True}, message_envelope=JsonBase)
    dlq_url = runtime.consumers[0].dead_letter_queue_url
    found: list[dict[str, Any]] = []

    async def receive_dlq() -> None:
        while not found:
            response = await harness.call("sqs", "receive_message", QueueUrl=dlq_url, WaitTimeSeconds=1)
            found.extend(response.get("Messages", []))

    await asyncio.wait_for(receive_dlq(), 30)
    assert calls[:2] == [1, 2]
    assert JsonBase.parse_message(json.loads(found[0]["Body"])["Message"]).data == {"poison": True}


async def test_backoff_grows_with_the_receive_count() -> None:
    settings = ConsumerSettings(retry_initial=2, retry_max=60)
    assert [settings.backoff(n) for n in (None, 1, 2, 3, 4, 10)] == [2, 2, 4, 8, 16, 60]


async def test_delete_message_on_error_restores_the_0_29_behaviour(harness: Any) -> None:
    topic = harness.unique("legacy")
    calls: list[str] = []

    class Service:
        name, uuid = "legacy", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic, delete_message_on_error=True)
        async def handler(self, data: Any) -> None:
            calls.append(data["kind"])
            if data["kind"] == "keep":
                raise AWSSNSSQSInternalServiceError("retry me")
            raise ValueError("dropped")

    await harness.start(Service())
    await harness.publisher.publish(topic, {"kind": "drop"}, message_envelope=JsonBase)
    await harness.publisher.publish(topic, {"kind": "keep"}, message_envelope=JsonBase)
    await harness.eventually(lambda: calls.count("keep") >= 2, within=20)
    await asyncio.sleep(1.5)
    assert calls.count("drop") == 1


async def test_unparseable_messages_go_to_the_dead_letter_queue(harness: Any, caplog: Any) -> None:
    queue, dlq = harness.unique("garbage"), harness.unique("garbage-dlq")
    called: list[Any] = []

    class Service:
        name, uuid = "garbage", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(queue_name=queue, dead_letter_queue_name=dlq, max_receive_count=5)
        async def handler(self, data: Any) -> None:
            called.append(data)

    caplog.set_level(logging.ERROR, "tomodachi.awssnssqs.handler")
    runtime = await harness.start(Service())
    consumer = runtime.consumers[0]
    for body in ("not json", json.dumps({"Message": "not an envelope"}), json.dumps({"no": "message"})):
        await harness.call("sqs", "send_message", QueueUrl=consumer.queue_url, MessageBody=body)
    moved: list[str] = []

    async def receive_dlq() -> None:
        while len(moved) < 3:
            response = await harness.call(
                "sqs", "receive_message", QueueUrl=consumer.dead_letter_queue_url, WaitTimeSeconds=1
            )
            moved.extend(message["Body"] for message in response.get("Messages", []))

    await asyncio.wait_for(receive_dlq(), 20)
    assert called == []
    assert "not json" in moved
    assert any(record.sqs_message_id and record.queue_url for record in caplog.records)


async def test_unparseable_messages_without_a_dead_letter_queue_stay_in_the_queue(harness: Any) -> None:
    queue = harness.unique("garbage-kept")

    class Service:
        name, uuid = "garbage", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(queue_name=queue)
        async def handler(self, data: Any) -> None:
            raise AssertionError("not called")

    runtime = await harness.start(Service(), settings=ConsumerSettings(wait_time=1, retry_max=2))
    url = runtime.consumers[0].queue_url
    await harness.call("sqs", "send_message", QueueUrl=url, MessageBody="not json")
    await asyncio.sleep(2)
    await harness.stop(runtime)
    await asyncio.sleep(1.5)
    response = await harness.call("sqs", "receive_message", QueueUrl=url, WaitTimeSeconds=2)
    assert [message["Body"] for message in response.get("Messages", [])] == ["not json"]


async def test_a_slow_message_does_not_hold_up_the_others(harness: Any) -> None:
    topic = harness.unique("hol")
    finished: list[str] = []

    class Service:
        name, uuid = "hol", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic, max_number_of_consumed_messages=3)
        async def handler(self, data: Any) -> None:
            await asyncio.sleep(4 if data == "slow" else 0.05)
            finished.append(data)

    await harness.start(Service())
    await harness.publisher.publish(topic, "slow", message_envelope=JsonBase)
    await asyncio.sleep(0.5)
    for index in range(8):
        await harness.publisher.publish(topic, f"fast-{index}", message_envelope=JsonBase)
    await harness.eventually(lambda: len(finished) == 8, within=3.5)
    assert "slow" not in finished
    await harness.eventually(lambda: len(finished) == 9, within=10)


async def test_fifo_keeps_order_per_group_and_runs_groups_in_parallel(harness: Any) -> None:
    topic = harness.unique("fifo-order")
    log: list[tuple[str, int]] = []
    running: set[str] = set()
    overlap: list[bool] = []

    class Service:
        name, uuid = "fifo", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic, fifo=True)
        async def handler(self, data: Any, message_group_id: str) -> None:
            running.add(message_group_id)
            overlap.append(len(running) > 1)
            await asyncio.sleep(0.2)
            log.append((message_group_id, data))
            running.discard(message_group_id)

    await harness.start(Service())
    for number in range(5):
        for group in ("a", "b"):
            await harness.publisher.publish(topic, number, message_envelope=JsonBase, group_id=group)
    await harness.eventually(lambda: len(log) == 10, within=30)
    assert [n for g, n in log if g == "a"] == list(range(5))
    assert [n for g, n in log if g == "b"] == list(range(5))
    assert any(overlap)


async def test_heartbeat_keeps_a_slow_message_invisible(harness: Any) -> None:
    queue = harness.unique("heartbeat")
    calls: list[float] = []

    class Service:
        name, uuid = "heartbeat", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(queue_name=queue, visibility_timeout=2)
        async def handler(self, data: Any) -> None:
            calls.append(time.monotonic())
            await asyncio.sleep(5)

    runtime = await harness.start(Service())
    await harness.publisher.send_message(queue, {"slow": True}, message_envelope=JsonBase)
    await harness.eventually(lambda: len(calls) == 1)
    url = runtime.consumers[0].queue_url
    for _ in range(4):
        response = await harness.call("sqs", "receive_message", QueueUrl=url, WaitTimeSeconds=1)
        assert not response.get("Messages")
    await harness.eventually(lambda: not runtime.consumers[0].tasks, within=10)
    assert len(calls) == 1


async def test_graceful_stop_finishes_messages_in_flight_and_returns_the_rest(harness: Any) -> None:
    queue = harness.unique("graceful")
    started: list[str] = []
    finished: list[str] = []

    class Service:
        name, uuid = "graceful", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(queue_name=queue, visibility_timeout=3)
        async def handler(self, data: str) -> None:
            started.append(data)
            await asyncio.sleep(0.5 if data == "short" else 30)
            finished.append(data)

    runtime = await harness.start(Service(), grace_period=2)
    await harness.publisher.send_message(queue, "short", message_envelope=JsonBase)
    await harness.publisher.send_message(queue, "long", message_envelope=JsonBase)
    await harness.eventually(lambda: len(started) == 2)
    await harness.stop(runtime)
    assert finished == ["short"]
    url = runtime.consumers[0].queue_url
    left: list[str] = []
    for _ in range(6):
        response = await harness.call("sqs", "receive_message", QueueUrl=url, WaitTimeSeconds=1)
        left.extend(
            JsonBase.parse_message(json.loads(m["Body"])["Message"]).data
            for m in response.get("Messages", [])
        )
        if left:
            break
    assert left == ["long"]


async def test_drain_and_close_are_safe_without_start(harness: Any) -> None:
    from tomodachi_transport_awssnssqs import AWS_SNS_SQS_TRANSPORT

    runtime = AWS_SNS_SQS_TRANSPORT.create_runtime(object(), [])
    await runtime.drain()
    await runtime.close()


@pytest.mark.parametrize("failing", ["middleware", "handler"])
async def test_middlewares_wrap_the_handler_and_their_errors_keep_the_message(
    harness: Any, failing: str
) -> None:
    topic = harness.unique("mw")
    seen: list[Any] = []
    attempts: list[int] = []

    async def middleware(func: Any, service: Any, message: Any, topic: str, *, message_uuid: str) -> Any:
        seen.append(("mw", topic, message_uuid is not None))
        if failing == "middleware" and not attempts:
            attempts.append(1)
            raise RuntimeError("middleware failed")
        return await func(extra="from-mw")

    class Service:
        name, uuid = "mw", "u"
        message_envelope = JsonBase
        message_middleware: ClassVar[list[Any]] = [middleware]

        @aws_sns_sqs(topic)
        async def handler(self, data: Any, extra: str, topic: str) -> None:
            if failing == "handler" and not attempts:
                attempts.append(1)
                raise RuntimeError("handler failed")
            seen.append(("handler", data, extra, topic))

    await harness.start(Service())
    await harness.publisher.publish(topic, {"a": 1}, message_envelope=JsonBase)
    await harness.eventually(lambda: any(item[0] == "handler" for item in seen), within=15)
    assert ("mw", topic, True) in seen
    assert ("handler", {"a": 1}, "from-mw", topic) in seen


async def test_fifo_messages_waiting_their_turn_stay_invisible_and_are_handled_once(harness: Any) -> None:
    queue = harness.unique("fifo-wait") + ".fifo"
    handled: list[int] = []

    class Service:
        name, uuid = "fifo-wait", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(queue_name=queue, fifo=True, visibility_timeout=2)
        async def handler(self, data: int) -> None:
            await asyncio.sleep(1.2)
            handled.append(data)

    runtime = await harness.start(Service())
    for number in range(3):
        await harness.publisher.send_message(queue, number, message_envelope=JsonBase, group_id="g")
    await harness.eventually(lambda: len(handled) == 3, within=20)
    await harness.eventually(lambda: not runtime.consumers[0].tasks, within=5)
    await asyncio.sleep(2.5)
    assert handled == [0, 1, 2]
    response = await harness.call(
        "sqs", "receive_message", QueueUrl=runtime.consumers[0].queue_url, WaitTimeSeconds=1
    )
    assert not response.get("Messages")
