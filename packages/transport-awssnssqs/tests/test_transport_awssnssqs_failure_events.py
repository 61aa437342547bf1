"""Retried, dead-lettered and unparseable messages are reported as operational events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_middleware import observe
from tomodachi_transport_awssnssqs import AWSSNSSQSInternalServiceError, aws_sns_sqs

Events = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def events() -> Iterator[Events]:
    received: Events = []

    def record(event: str, fields: Mapping[str, Any]) -> None:
        if event.startswith("message."):
            received.append((event, dict(fields)))

    unsubscribe = observe(record)
    yield received
    unsubscribe()


async def test_a_failing_message_is_retried_then_dead_lettered_at_the_max_receive_count(
    harness: Any, events: Events
) -> None:
    topic, dlq = harness.unique("events-poison"), harness.unique("events-poison-dlq")

    class Service:
        name, uuid = "events-poison", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic, dead_letter_queue_name=dlq, max_receive_count=2)
        async def handler(self, data: Any) -> None:
            raise AWSSNSSQSInternalServiceError("keep it")

    service = Service()
    runtime = await harness.start(service)
    await harness.publisher.publish(topic, {"poison": True}, message_envelope=JsonBase)
    await harness.eventually(lambda: any(name == "message.dead_lettered" for name, _ in events), within=30)
    assert [name for name, _ in events][:2] == ["message.retried", "message.dead_lettered"]
    fields = events[1][1]
    assert fields["transport"] == "aws_sns_sqs"
    assert fields["service"] is service
    assert fields["queue"] == runtime.consumers[0].queue_url
    assert fields["reason"] == "attempts"


async def test_an_unparseable_message_is_reported_and_dead_lettered(harness: Any, events: Events) -> None:
    queue, dlq = harness.unique("events-garbage"), harness.unique("events-garbage-dlq")

    class Service:
        name, uuid = "events-garbage", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(queue_name=queue, dead_letter_queue_name=dlq, max_receive_count=5)
        async def handler(self, data: Any) -> None:
            pass

    runtime = await harness.start(Service())
    consumer = runtime.consumers[0]
    await harness.call("sqs", "send_message", QueueUrl=consumer.queue_url, MessageBody="not json")
    await harness.eventually(lambda: len(events) == 2)
    assert [name for name, _ in events] == ["message.unparseable", "message.dead_lettered"]
    assert events[1][1]["reason"] == "unparseable"


async def test_an_unparseable_message_without_a_dead_letter_queue_is_only_reported_unparseable(
    harness: Any, events: Events
) -> None:
    queue = harness.unique("events-kept")

    class Service:
        name, uuid = "events-kept", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(queue_name=queue)
        async def handler(self, data: Any) -> None:
            pass

    runtime = await harness.start(Service())
    await harness.call("sqs", "send_message", QueueUrl=runtime.consumers[0].queue_url, MessageBody="{")
    await harness.eventually(lambda: len(events) >= 1)
    # Kept in the queue, it may come back (and be reported again) before the check: never dead-lettered.
    assert {name for name, _ in events} == {"message.unparseable"}
