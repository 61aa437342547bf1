"""The in-memory SNS through its client and the Publisher: topics, listing, FIFO topics, fan-out."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tomodachi_transport_awssnssqs import AWSClientError, aws_sns_sqs
from tomodachi_transport_awssnssqs.testing import ManualClock, MemoryAWS, MemoryClient

ACCOUNT = "123456789012"


@pytest.fixture
def aws() -> MemoryAWS:
    return MemoryAWS(clock=ManualClock())


@pytest.fixture
def client(aws: MemoryAWS) -> MemoryClient:
    return aws.client()


async def topic(client: MemoryClient, name: str, **attributes: str) -> str:
    return str((await client.call("sns", "create_topic", Name=name, Attributes=attributes))["TopicArn"])


async def queue_on(client: MemoryClient, topic_arn: str, name: str, **attributes: str) -> None:
    queue_attributes = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
    await client.call("sqs", "create_queue", QueueName=name, Attributes=queue_attributes)
    params: dict[str, Any] = {
        "TopicArn": topic_arn,
        "Protocol": "sqs",
        "Endpoint": f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}",
    }
    await client.call("sns", "subscribe", **params, **({"Attributes": attributes} if attributes else {}))


async def test_creating_a_topic_again_returns_it_unless_an_attribute_differs(client: MemoryClient) -> None:
    arn = await topic(client, "t", DisplayName="one")
    assert arn == f"arn:aws:sns:us-east-1:{ACCOUNT}:t"
    assert await topic(client, "t", DisplayName="one") == arn
    with pytest.raises(AWSClientError) as caught:
        await topic(client, "t", DisplayName="two")
    assert caught.value.code == "InvalidParameter"


async def test_a_missing_topic_is_not_found(client: MemoryClient) -> None:
    with pytest.raises(AWSClientError) as caught:
        await client.call("sns", "get_topic_attributes", TopicArn=f"arn:aws:sns:us-east-1:{ACCOUNT}:none")
    assert caught.value.code == "NotFound"


@pytest.mark.parametrize(("name", "attributes"), [("a.b", {}), ("t.fifo", {}), ("t", {"FifoTopic": "true"})])
async def test_bad_topic_names_are_refused(
    client: MemoryClient, name: str, attributes: dict[str, str]
) -> None:
    with pytest.raises(AWSClientError) as caught:
        await topic(client, name, **attributes)
    assert caught.value.code == "InvalidParameter"


async def test_topic_attributes_can_be_read_and_changed(client: MemoryClient) -> None:
    arn = await topic(client, "attrs")
    await client.call(
        "sns", "set_topic_attributes", TopicArn=arn, AttributeName="KmsMasterKeyId", AttributeValue="k"
    )
    attributes = (await client.call("sns", "get_topic_attributes", TopicArn=arn))["Attributes"]
    assert (attributes["TopicArn"], attributes["KmsMasterKeyId"], attributes["Owner"]) == (arn, "k", ACCOUNT)


async def test_topics_are_listed_a_hundred_per_page(client: MemoryClient) -> None:
    for n in range(150):
        await topic(client, f"t{n:03}")
    first = await client.call("sns", "list_topics")
    second = await client.call("sns", "list_topics", NextToken=first["NextToken"])
    assert (len(first["Topics"]), len(second["Topics"]), "NextToken" in second) == (100, 50, False)


async def test_a_wildcard_handler_subscribes_to_matching_topics_on_every_page(memory: Any) -> None:
    for n in range(120):
        await memory.publisher.topic_arn(f"page-{n:03}")
    received: list[str] = []

    class Service:
        name, uuid = "pages", "p"

        @aws_sns_sqs("page-*")
        async def handler(self, message: str, topic: str) -> None:
            received.append(topic)

    await memory.start(Service())
    for name in ("page-000", "page-119"):
        await memory.publisher.publish(name, name)
    await memory.eventually(lambda: len(received) == 2, within=5)
    assert sorted(received) == ["page-000", "page-119"]


async def test_a_fifo_topic_needs_a_group_and_delivers_only_to_fifo_queues(client: MemoryClient) -> None:
    arn = await topic(client, "f.fifo", FifoTopic="true")
    with pytest.raises(AWSClientError, match="FIFO SNS Topics"):
        await queue_on(client, arn, "standard")
    with pytest.raises(AWSClientError, match="MessageGroupId parameter is required"):
        await client.call("sns", "publish", TopicArn=arn, Message="m", MessageDeduplicationId="d")
    standard = await topic(client, "s")
    with pytest.raises(AWSClientError, match="FIFO SNS Topic"):
        await queue_on(client, standard, "q.fifo")
    with pytest.raises(AWSClientError):
        await client.call("sns", "publish", TopicArn=standard, Message="m", MessageGroupId="g")


async def test_a_fifo_topic_drops_a_repeated_deduplication_id_and_passes_group_and_id_on(
    aws: MemoryAWS, client: MemoryClient
) -> None:
    arn = await topic(client, "d.fifo", FifoTopic="true")
    await queue_on(client, arn, "d.fifo")
    first = await aws.publish_raw(arn, "one", group_id="g", deduplication_id="x")
    again = await aws.publish_raw(arn, "two", group_id="g", deduplication_id="x")
    assert again == first
    (queued,) = aws.messages("d.fifo")
    assert (queued.message, queued.group_id, queued.deduplication_id) == ("one", "g", "x")
    assert queued.notification is not None
    assert "SequenceNumber" in queued.notification
    assert [p.message for p in aws.published("d.fifo")] == ["one"]


async def test_a_json_message_structure_delivers_the_sqs_entry(aws: MemoryAWS, client: MemoryClient) -> None:
    arn = await topic(client, "structured")
    await queue_on(client, arn, "structured-q", RawMessageDelivery="true")
    message = json.dumps({"default": "for everyone", "sqs": "for queues"})
    await client.call("sns", "publish", TopicArn=arn, Message=message, MessageStructure="json")
    assert [m.body for m in aws.messages("structured-q")] == ["for queues"]


async def test_a_subject_appears_in_the_notification(aws: MemoryAWS, client: MemoryClient) -> None:
    arn = await topic(client, "subject")
    await queue_on(client, arn, "subject-q")
    await aws.publish_raw(arn, "m", subject="Hello")
    (queued,) = aws.messages("subject-q")
    assert queued.notification is not None
    assert queued.notification["Subject"] == "Hello"


async def test_deleting_a_topic_removes_its_subscriptions(aws: MemoryAWS, client: MemoryClient) -> None:
    arn = await topic(client, "gone")
    await queue_on(client, arn, "gone-q")
    await client.call("sns", "delete_topic", TopicArn=arn)
    assert (await client.call("sns", "list_subscriptions"))["Subscriptions"] == []
    assert aws.topics() == []


async def test_unsubscribing_stops_delivery(aws: MemoryAWS, client: MemoryClient) -> None:
    arn = await topic(client, "unsub")
    await queue_on(client, arn, "unsub-q")
    (subscription,) = (await client.call("sns", "list_subscriptions_by_topic", TopicArn=arn))["Subscriptions"]
    await client.call("sns", "unsubscribe", SubscriptionArn=subscription["SubscriptionArn"])
    await aws.publish_raw(arn, "m")
    assert aws.messages("unsub-q") == []


async def test_an_empty_message_is_refused(client: MemoryClient) -> None:
    arn = await topic(client, "empty")
    with pytest.raises(AWSClientError) as caught:
        await client.call("sns", "publish", TopicArn=arn, Message="")
    assert caught.value.code == "InvalidParameter"
