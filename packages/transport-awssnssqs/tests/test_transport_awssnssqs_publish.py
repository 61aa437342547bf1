from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tomodachi_envelope import JsonBase, ServiceIdentity
from tomodachi_transport_awssnssqs import (
    Client,
    Publisher,
    QueueDoesNotExistError,
    publish,
    send_message,
)
from tomodachi_transport_awssnssqs.testing import moto_settings

SERVICE = ServiceIdentity("publisher-tests", "b6a9a0e8")


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}"


async def subscribed_queue(client: Client, topic_arn: str, fifo: bool = False) -> str:
    name = unique("q") + (".fifo" if fifo else "")
    attributes = {"FifoQueue": "true"} if fifo else {}
    url = str((await client.call("sqs", "create_queue", QueueName=name, Attributes=attributes))["QueueUrl"])
    arn = (await client.call("sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["QueueArn"]))[
        "Attributes"
    ]["QueueArn"]
    await client.call("sns", "subscribe", TopicArn=topic_arn, Protocol="sqs", Endpoint=arn)
    return url


async def receive_one(client: Client, url: str) -> dict[str, Any]:
    response = await client.call(
        "sqs",
        "receive_message",
        QueueUrl=url,
        WaitTimeSeconds=2,
        MessageAttributeNames=["All"],
        AttributeNames=["All"],
    )
    messages = response.get("Messages", [])
    assert len(messages) == 1
    message: dict[str, Any] = messages[0]
    return message


async def test_publish_wraps_data_in_the_envelope_and_encodes_attributes_as_0_29(moto_url: str) -> None:
    topic = unique("pub")
    async with Publisher(service=SERVICE, message_envelope=JsonBase, settings=moto_settings(moto_url)) as pub:
        arn = await pub.topic_arn(topic)
        url = await subscribed_queue(pub.client, arn)
        attributes = {"s": "x", "n": 3, "f": 1.5, "b": b"\x00\x01", "t": True, "none": None, "l": [1, "a"]}
        message_id = await pub.publish(topic, {"id": 1}, message_attributes=attributes)
        assert message_id
        body = json.loads((await receive_one(pub.client, url))["Body"])
    assert body["Type"] == "Notification"
    assert body["TopicArn"] == arn
    parsed = JsonBase.parse_message(body["Message"])
    assert parsed.data == {"id": 1}
    assert parsed.message["service"] == {"name": "publisher-tests", "uuid": "b6a9a0e8"}
    assert parsed.message["metadata"]["topic"] == topic
    sent = body["MessageAttributes"]
    assert sent["s"] == {"Type": "String", "Value": "x"}
    assert sent["n"] == {"Type": "Number", "Value": "3"}
    assert sent["f"] == {"Type": "Number", "Value": "1.5"}
    assert sent["b"]["Type"] == "Binary"
    assert sent["t"] == {"Type": "String.Array", "Value": "true"}
    assert sent["none"] == {"Type": "String.Array", "Value": "null"}
    assert sent["l"] == {"Type": "String.Array", "Value": '[1, "a"]'}


async def test_publish_with_a_group_id_goes_to_the_fifo_topic(moto_url: str) -> None:
    topic = unique("fifo")
    async with Publisher(service=SERVICE, settings=moto_settings(moto_url)) as pub:
        arn = await pub.topic_arn(f"{topic}.fifo")
        url = await subscribed_queue(pub.client, arn, fifo=True)
        await pub.publish(topic, "raw text", group_id="g1", deduplication_id="d1")
        message = await receive_one(pub.client, url)
    assert json.loads(message["Body"])["Message"] == "raw text"
    assert message["Attributes"]["MessageGroupId"] == "g1"
    assert message["Attributes"]["MessageDeduplicationId"] == "d1"


async def test_publish_applies_the_topic_prefix_unless_overridden(moto_url: str) -> None:
    topic = unique("prefixed")
    async with Publisher(service=SERVICE, settings=moto_settings(moto_url), topic_prefix="pfx-") as pub:
        await pub.publish(topic, "one")
        await pub.publish(topic, "two", topic_prefix=None)
        topics = (await pub.client.call("sns", "list_topics"))["Topics"]
    names = {entry["TopicArn"].rsplit(":", 1)[-1] for entry in topics}
    assert {f"pfx-{topic}", topic} <= names


async def test_send_message_wraps_the_payload_in_an_sns_like_body(moto_url: str) -> None:
    async with Publisher(service=SERVICE, message_envelope=JsonBase, settings=moto_settings(moto_url)) as pub:
        name = unique("direct")
        url = (await pub.client.call("sqs", "create_queue", QueueName=name))["QueueUrl"]
        await pub.send_message(name, {"k": "v"}, message_attributes={"n": 1})
        message = await receive_one(pub.client, url)
    body = json.loads(message["Body"])
    assert body["Type"] == "Message"
    assert body["QueueUrl"] == url
    assert body["MessageAttributes"] == {"n": {"Type": "Number", "Value": "1"}}
    assert body["Timestamp"].endswith("Z")
    assert JsonBase.parse_message(body["Message"]).data == {"k": "v"}
    assert JsonBase.parse_message(body["Message"]).message["metadata"]["topic"] == ""
    assert message["MessageAttributes"]["n"] == {"StringValue": "1", "DataType": "Number"}


async def test_send_message_without_a_formatter_sends_the_raw_body(moto_url: str) -> None:
    async with Publisher(settings=moto_settings(moto_url)) as pub:
        name = unique("rawbody")
        url = (await pub.client.call("sqs", "create_queue", QueueName=name))["QueueUrl"]
        await pub.send_message(name, "plain body", message_body_formatter=None)
        message = await receive_one(pub.client, url)
    assert message["Body"] == "plain body"


async def test_send_message_to_a_missing_queue_raises_and_creates_nothing(moto_url: str) -> None:
    async with Publisher(settings=moto_settings(moto_url)) as pub:
        with pytest.raises(QueueDoesNotExistError, match="non-existent"):
            await pub.send_message(unique("missing"), "x")


async def test_send_message_refuses_a_group_id_that_does_not_match_the_queue_type(moto_url: str) -> None:
    async with Publisher(settings=moto_settings(moto_url)) as pub:
        with pytest.raises(ValueError, match="group_id"):
            await pub.send_message("standard", "x", group_id="g")
        with pytest.raises(ValueError, match="group_id"):
            await pub.send_message("queue.fifo", "x")


class FakeOptions:
    def __init__(self, url: str) -> None:
        from tomodachi_transport_awssnssqs import AWSEndpointURLsOptions, AWSSNSSQSOptions

        self.aws_sns_sqs = AWSSNSSQSOptions(region_name="us-east-1", topic_prefix="svc-")
        self.aws_endpoint_urls = AWSEndpointURLsOptions(sns=url, sqs=url)


class FakeService:
    name = "fake"
    uuid = "u-1"
    message_envelope = JsonBase

    def __init__(self, url: str) -> None:
        self.options = FakeOptions(url)


async def test_publish_function_uses_the_service_options_and_envelope(moto_url: str) -> None:
    service = FakeService(moto_url)
    topic = unique("svc")
    message_id = await publish(service, {"x": 1}, topic)
    assert isinstance(message_id, str)
    task = await publish(service, {"x": 2}, topic, wait=False)
    assert not isinstance(task, str)
    assert await task
    async with Publisher(settings=moto_settings(moto_url)) as pub:
        names = {
            t["TopicArn"].rsplit(":", 1)[-1] for t in (await pub.client.call("sns", "list_topics"))["Topics"]
        }
        queue = unique("svcq")
        url = (await pub.client.call("sqs", "create_queue", QueueName=queue))["QueueUrl"]
        await send_message(service, {"y": 1}, queue, queue_name_prefix=None)
        body = json.loads((await receive_one(pub.client, url))["Body"])
    assert f"svc-{topic}" in names
    assert JsonBase.parse_message(body["Message"]).message["service"]["name"] == "fake"
