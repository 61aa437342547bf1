from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import pytest

from tomodachi_envelope import JsonBase, ServiceIdentity
from tomodachi_transport_awssnssqs import AWSSNSSQSException, aws_sns_sqs

SENDER = ServiceIdentity("sender", "s-1")


def make_service(**handler_kwargs: Any) -> tuple[Any, list[dict[str, Any]]]:
    received: list[dict[str, Any]] = []

    class Service:
        name = "setup-tests"
        uuid = "uuid-1"
        message_envelope = JsonBase

        @aws_sns_sqs(**handler_kwargs)
        async def handler(self, data: Any, topic: str, message_attributes: dict[str, Any]) -> None:
            received.append({"data": data, "topic": topic, "attributes": message_attributes})

    return Service(), received


async def test_competing_handler_consumes_the_queue_named_from_the_topic_hash(harness: Any) -> None:
    topic = harness.unique("order-created")
    service, received = make_service(topic=topic)
    runtime = await harness.start(service)
    consumer = runtime.consumers[0]
    assert consumer.queue_url.endswith("/" + hashlib.sha256(topic.encode()).hexdigest())
    await harness.publisher.publish(topic, {"id": 1}, message_envelope=JsonBase, message_attributes={"n": 2})
    await harness.eventually(lambda: len(received) == 1)
    assert received == [{"data": {"id": 1}, "topic": topic, "attributes": {"n": 2}}]


async def test_queue_policy_lets_the_topic_send_to_the_queue(harness: Any) -> None:
    topic = harness.unique("policy")
    service, _ = make_service(topic=topic)
    runtime = await harness.start(service)
    attributes = await harness.queue_attributes(runtime.consumers[0].queue_url)
    policy = json.loads(attributes["Policy"])
    statement = policy["Statement"][0]
    assert policy["Id"] == f"{attributes['QueueArn']}/SQSDefaultPolicy"
    assert statement["Action"] == "SQS:SendMessage"
    assert statement["Resource"] == attributes["QueueArn"]
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"].endswith(f":{topic}")


async def test_non_competing_handlers_get_a_queue_per_service_instance(harness: Any) -> None:
    topic = harness.unique("fanout")
    service, _ = make_service(topic=topic, competing=False)
    runtime = await harness.start(service)
    expected = hashlib.sha256(f"{topic}handleruuid-1".encode()).hexdigest()
    assert runtime.consumers[0].queue_url.endswith("/" + expected)


async def test_prefixes_apply_to_topic_and_queue_names(harness: Any) -> None:
    topic = harness.unique("prefixed")
    service, received = make_service(topic=topic, queue_name=harness.unique("q"))
    service.options = harness.options(topic_prefix="tp-", queue_name_prefix="qp-")
    runtime = await harness.start(service)
    assert runtime.consumers[0].queue_url.rsplit("/", 1)[-1].startswith("qp-q-")
    await harness.publisher.publish(f"tp-{topic}", {"x": 1}, message_envelope=JsonBase)
    await harness.eventually(lambda: len(received) == 1)
    assert received[0]["topic"] == topic


def test_a_named_queue_must_be_competing() -> None:
    with pytest.raises(AWSSNSSQSException, match="must be competing"):
        aws_sns_sqs("t", queue_name="q", competing=False)


async def test_filter_policy_keeps_filtered_out_messages_away(harness: Any) -> None:
    topic = harness.unique("filtered")
    service, received = make_service(topic=topic, filter_policy={"color": ["blue"]})
    await harness.start(service)
    await harness.publisher.publish(
        topic, {"n": 1}, message_envelope=JsonBase, message_attributes={"color": "red"}
    )
    await harness.publisher.publish(
        topic, {"n": 2}, message_envelope=JsonBase, message_attributes={"color": "blue"}
    )
    await harness.eventually(lambda: len(received) == 1)
    await asyncio.sleep(1.5)
    assert [item["data"] for item in received] == [{"n": 2}]


async def test_redrive_policy_and_visibility_timeout_are_set_when_given(harness: Any) -> None:
    topic = harness.unique("redrive")
    dlq = harness.unique("dlq")
    service, _ = make_service(
        topic=topic, dead_letter_queue_name=dlq, max_receive_count=3, visibility_timeout=17
    )
    runtime = await harness.start(service)
    attributes = await harness.queue_attributes(runtime.consumers[0].queue_url)
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"].endswith(f":{dlq}")
    assert int(redrive["maxReceiveCount"]) == 3
    assert attributes["VisibilityTimeout"] == "17"
    dlq_attributes = await harness.queue_attributes(runtime.consumers[0].dead_letter_queue_url)
    assert dlq_attributes["MessageRetentionPeriod"] == "1209600"


async def test_invalid_dead_letter_arguments_fail_the_start(harness: Any) -> None:
    service, _ = make_service(topic=harness.unique("bad"), dead_letter_queue_name="dlq")
    with pytest.raises(AWSSNSSQSException, match="dead-letter"):
        await harness.start(service)


async def test_kms_keys_are_set_on_topic_and_queue_and_removed_with_an_empty_key(harness: Any) -> None:
    topic = harness.unique("kms")
    queue = harness.unique("kmsq")
    service, _ = make_service(topic=topic, queue_name=queue)
    service.options = harness.options(
        sns_kms_master_key_id="alias/sns-key",
        sqs_kms_master_key_id="alias/sqs-key",
        sqs_kms_data_key_reuse_period=600,
    )
    runtime = await harness.start(service)
    queue_url = runtime.consumers[0].queue_url
    attributes = await harness.queue_attributes(queue_url)
    assert attributes["KmsMasterKeyId"] == "alias/sqs-key"
    assert attributes["KmsDataKeyReusePeriodSeconds"] == "600"
    topic_arn = await harness.publisher.topic_arn(topic)
    topic_attributes = (await harness.call("sns", "get_topic_attributes", TopicArn=topic_arn))["Attributes"]
    assert topic_attributes["KmsMasterKeyId"] == "alias/sns-key"
    await harness.stop(runtime)

    service.options = harness.options(sns_kms_master_key_id="", sqs_kms_master_key_id="")
    await harness.start(service)
    assert not (await harness.queue_attributes(queue_url)).get("KmsMasterKeyId")
    topic_attributes = (await harness.call("sns", "get_topic_attributes", TopicArn=topic_arn))["Attributes"]
    assert not topic_attributes.get("KmsMasterKeyId")


async def test_kms_keys_left_unset_leave_the_queue_as_it_is(harness: Any) -> None:
    queue = harness.unique("kmskeep")
    await harness.call("sqs", "create_queue", QueueName=queue, Attributes={"KmsMasterKeyId": "alias/keep"})
    service, _ = make_service(queue_name=queue)
    runtime = await harness.start(service)
    assert (await harness.queue_attributes(runtime.consumers[0].queue_url))["KmsMasterKeyId"] == "alias/keep"


async def test_fifo_handler_gets_fifo_topic_and_queue(harness: Any) -> None:
    topic = harness.unique("fifo")
    service, received = make_service(topic=topic, fifo=True)
    runtime = await harness.start(service)
    assert runtime.consumers[0].queue_url.endswith(".fifo")
    await harness.publisher.publish(topic, {"n": 1}, message_envelope=JsonBase, group_id="g")
    await harness.eventually(lambda: len(received) == 1)


async def test_queue_type_must_match_the_handler(harness: Any) -> None:
    queue = harness.unique("std")
    await harness.call("sqs", "create_queue", QueueName=f"{queue}.fifo", Attributes={"FifoQueue": "true"})
    service, _ = make_service(queue_name=f"{queue}.fifo")
    with pytest.raises(AWSSNSSQSException, match="expected Standard"):
        await harness.start(service)


async def test_wildcard_topic_subscribes_to_every_matching_topic(harness: Any) -> None:
    base = harness.unique("wild")
    for suffix in ("foo", "bar"):
        await harness.publisher.topic_arn(f"{base}-{suffix}")
    await harness.publisher.topic_arn(base)
    service, received = make_service(topic=f"{base}-*")
    runtime = await harness.start(service)
    policy = json.loads((await harness.queue_attributes(runtime.consumers[0].queue_url))["Policy"])
    assert policy["Statement"][0]["Condition"]["ArnEquals"]["aws:SourceArn"].endswith(f":{base}-*")
    for topic in (f"{base}-foo", f"{base}-bar", base):
        await harness.publisher.publish(topic, {"t": topic}, message_envelope=JsonBase)
    await harness.eventually(lambda: len(received) == 2)
    assert sorted(item["topic"] for item in received) == [f"{base}-bar", f"{base}-foo"]
