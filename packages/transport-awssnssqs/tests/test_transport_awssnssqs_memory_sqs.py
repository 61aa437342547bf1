"""The in-memory SQS through its client: queues, visibility, receive counts, FIFO, redrive and errors."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import pytest

from tomodachi_transport_awssnssqs import AWSClientError, AWSSNSSQSConnectionException, QueueDoesNotExistError
from tomodachi_transport_awssnssqs.testing import ManualClock, MemoryAWS, MemoryClient

START = 1_800_000_000.0


@pytest.fixture
def aws() -> MemoryAWS:
    return MemoryAWS(clock=ManualClock(START))


@pytest.fixture
def client(aws: MemoryAWS) -> MemoryClient:
    return aws.client()


async def create(client: MemoryClient, name: str, **attributes: str) -> str:
    return str((await client.call("sqs", "create_queue", QueueName=name, Attributes=attributes))["QueueUrl"])


async def receive(client: MemoryClient, url: str, **params: Any) -> list[dict[str, Any]]:
    params.setdefault("MaxNumberOfMessages", 10)
    response = await client.call("sqs", "receive_message", QueueUrl=url, AttributeNames=["All"], **params)
    return list(response.get("Messages", []))


async def test_queue_urls_and_arns_have_aws_format(client: MemoryClient) -> None:
    url = await create(client, "orders")
    assert url == "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
    attributes = (
        await client.call("sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["QueueArn"])
    )["Attributes"]
    assert attributes == {"QueueArn": "arn:aws:sqs:us-east-1:123456789012:orders"}
    assert (await client.call("sqs", "get_queue_url", QueueName="orders"))["QueueUrl"] == url


async def test_a_missing_queue_raises_queue_does_not_exist_with_aws_code(client: MemoryClient) -> None:
    with pytest.raises(QueueDoesNotExistError) as caught:
        await client.call("sqs", "get_queue_url", QueueName="missing")
    assert caught.value.code == "AWS.SimpleQueueService.NonExistentQueue"
    assert caught.value.operation == "get_queue_url"
    with pytest.raises(QueueDoesNotExistError):
        await client.call(
            "sqs", "send_message", QueueUrl="https://sqs.x/123456789012/missing", MessageBody="x"
        )


async def test_creating_a_queue_again_returns_it_unless_an_attribute_differs(client: MemoryClient) -> None:
    url = await create(client, "again", VisibilityTimeout="10")
    assert await create(client, "again", VisibilityTimeout="10") == url
    with pytest.raises(AWSClientError) as caught:
        await create(client, "again", VisibilityTimeout="20")
    assert caught.value.code == "QueueAlreadyExists"


@pytest.mark.parametrize(
    ("name", "attributes"),
    [("fifo-without-suffix", {"FifoQueue": "true"}), ("bad.name", {}), ("x" * 81, {})],
)
async def test_bad_queue_names_are_refused(
    client: MemoryClient, name: str, attributes: dict[str, str]
) -> None:
    with pytest.raises(AWSClientError) as caught:
        await create(client, name, **attributes)
    assert caught.value.code == "InvalidParameterValue"


async def test_bad_queue_attributes_are_refused(client: MemoryClient) -> None:
    with pytest.raises(AWSClientError) as caught:
        await create(client, "q", VisibilityTimeout="43201")
    assert caught.value.code == "InvalidAttributeValue"
    with pytest.raises(AWSClientError) as caught:
        await create(client, "q", Nonsense="1")
    assert caught.value.code == "InvalidAttributeName"
    url = await create(client, "q")
    redrive = json.dumps(
        {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:none", "maxReceiveCount": 2}
    )
    with pytest.raises(AWSClientError, match="Dead-letter target does not exist"):
        await client.call("sqs", "set_queue_attributes", QueueUrl=url, Attributes={"RedrivePolicy": redrive})


async def test_unknown_parameters_and_operations_are_refused(client: MemoryClient) -> None:
    with pytest.raises(AWSSNSSQSConnectionException, match='Unknown parameter in input: "Bogus"'):
        await client.call("sqs", "create_queue", QueueName="q", Bogus=1)
    with pytest.raises(AWSSNSSQSConnectionException, match="Missing required parameter"):
        await client.call("sqs", "send_message", MessageBody="x")
    with pytest.raises(AWSClientError) as caught:
        await client.call("sqs", "add_permission", QueueUrl="u")
    assert caught.value.code == "InvalidAction"


async def test_a_received_message_is_hidden_for_the_visibility_timeout_then_comes_back(
    aws: MemoryAWS, client: MemoryClient
) -> None:
    url = await create(client, "vis", VisibilityTimeout="10")
    sent = await client.call("sqs", "send_message", QueueUrl=url, MessageBody="hello")
    assert sent["MD5OfMessageBody"] == hashlib.md5(b"hello").hexdigest()
    (first,) = await receive(client, url)
    assert first["MessageId"] == sent["MessageId"]
    assert first["Attributes"]["ApproximateReceiveCount"] == "1"
    assert first["Attributes"]["SentTimestamp"] == str(int(START * 1000))
    assert await receive(client, url) == []
    await aws.advance(9)
    assert await receive(client, url) == []
    await aws.advance(1)
    (second,) = await receive(client, url)
    assert second["Attributes"]["ApproximateReceiveCount"] == "2"
    assert second["Attributes"]["ApproximateFirstReceiveTimestamp"] == str(int(START * 1000))
    assert second["ReceiptHandle"] != first["ReceiptHandle"]


async def test_a_receive_may_set_its_own_visibility_timeout(aws: MemoryAWS, client: MemoryClient) -> None:
    url = await create(client, "per-receive")
    await aws.send_raw(url, "m")
    await receive(client, url, VisibilityTimeout=2)
    await aws.advance(2)
    assert len(await receive(client, url)) == 1


async def test_changing_visibility_to_zero_makes_a_message_visible_at_once(client: MemoryClient) -> None:
    url = await create(client, "change")
    await client.call("sqs", "send_message", QueueUrl=url, MessageBody="m")
    (message,) = await receive(client, url)
    await client.call(
        "sqs",
        "change_message_visibility",
        QueueUrl=url,
        ReceiptHandle=message["ReceiptHandle"],
        VisibilityTimeout=0,
    )
    (again,) = await receive(client, url)
    assert again["Attributes"]["ApproximateReceiveCount"] == "2"
    with pytest.raises(AWSClientError) as caught:
        await client.call(
            "sqs",
            "change_message_visibility",
            QueueUrl=url,
            ReceiptHandle=message["ReceiptHandle"],
            VisibilityTimeout=5,
        )
    assert caught.value.code == "AWS.SimpleQueueService.MessageNotInflight"


async def test_deleting_with_a_stale_receipt_handle_leaves_the_message(
    aws: MemoryAWS, client: MemoryClient
) -> None:
    url = await create(client, "stale", VisibilityTimeout="1")
    await aws.send_raw(url, "m")
    (old,) = await receive(client, url)
    await aws.advance(1)
    (new,) = await receive(client, url)
    await client.call("sqs", "delete_message", QueueUrl=url, ReceiptHandle=old["ReceiptHandle"])
    assert len(aws.messages(url)) == 1
    await client.call("sqs", "delete_message", QueueUrl=url, ReceiptHandle=new["ReceiptHandle"])
    assert aws.messages(url) == []
    with pytest.raises(AWSClientError) as caught:
        await client.call("sqs", "delete_message", QueueUrl=url, ReceiptHandle="not-a-handle")
    assert caught.value.code == "ReceiptHandleIsInvalid"


async def test_batch_deletes_report_each_entry(aws: MemoryAWS, client: MemoryClient) -> None:
    url = await create(client, "batch")
    for n in range(3):
        await aws.send_raw(url, f"m{n}")
    handles = [m["ReceiptHandle"] for m in await receive(client, url)]
    response = await client.call(
        "sqs",
        "delete_message_batch",
        QueueUrl=url,
        Entries=[{"Id": "a", "ReceiptHandle": handles[0]}, {"Id": "b", "ReceiptHandle": "bogus"}],
    )
    assert [entry["Id"] for entry in response["Successful"]] == ["a"]
    assert [(entry["Id"], entry["Code"]) for entry in response["Failed"]] == [("b", "ReceiptHandleIsInvalid")]
    assert len(aws.messages(url)) == 2
    with pytest.raises(AWSClientError) as caught:
        await client.call("sqs", "delete_message_batch", QueueUrl=url, Entries=[])
    assert caught.value.code == "AWS.SimpleQueueService.EmptyBatchRequest"


async def test_message_attributes_round_trip_and_can_be_picked_by_name(client: MemoryClient) -> None:
    url = await create(client, "attributes")
    attributes = {
        "s": {"DataType": "String", "StringValue": "x"},
        "n": {"DataType": "Number", "StringValue": "1.5"},
        "b": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
        "trace.id": {"DataType": "String", "StringValue": "t"},
    }
    await client.call("sqs", "send_message", QueueUrl=url, MessageBody="m", MessageAttributes=attributes)
    (message,) = await receive(client, url, MessageAttributeNames=["All"], VisibilityTimeout=0)
    assert message["MessageAttributes"] == attributes
    (picked,) = await receive(client, url, MessageAttributeNames=["trace.*", "s"], VisibilityTimeout=0)
    assert set(picked["MessageAttributes"]) == {"s", "trace.id"}
    (bare,) = await receive(client, url)
    assert "MessageAttributes" not in bare


async def test_a_malformed_attribute_is_refused(client: MemoryClient) -> None:
    url = await create(client, "bad-attributes")
    with pytest.raises(AWSClientError) as caught:
        await client.call(
            "sqs",
            "send_message",
            QueueUrl=url,
            MessageBody="m",
            MessageAttributes={"n": {"DataType": "Number", "StringValue": "many"}},
        )
    assert caught.value.code == "InvalidParameterValue"


async def test_delayed_messages_wait_their_delay(aws: MemoryAWS, client: MemoryClient) -> None:
    url = await create(client, "delayed")
    await client.call("sqs", "send_message", QueueUrl=url, MessageBody="m", DelaySeconds=5)
    counts = (await client.call("sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["All"]))[
        "Attributes"
    ]
    assert counts["ApproximateNumberOfMessagesDelayed"] == "1"
    assert await receive(client, url) == []
    await aws.advance(5)
    assert len(await receive(client, url)) == 1


async def test_messages_past_the_retention_period_are_gone(aws: MemoryAWS, client: MemoryClient) -> None:
    url = await create(client, "retention", MessageRetentionPeriod="60")
    await aws.send_raw(url, "m")
    await aws.advance(60)
    assert aws.messages(url) == []


async def test_a_fifo_group_is_blocked_while_one_of_its_messages_is_in_flight(
    aws: MemoryAWS, client: MemoryClient
) -> None:
    url = await create(client, "groups.fifo", FifoQueue="true", VisibilityTimeout="30")
    for body, group in (("a1", "a"), ("b1", "b"), ("a2", "a"), ("b2", "b")):
        await aws.send_raw(url, body, group_id=group)
    (first,) = await receive(client, url, MaxNumberOfMessages=1)
    assert first["Body"] == "a1"
    assert [m["Body"] for m in await receive(client, url)] == ["b1", "b2"]
    assert await receive(client, url) == []
    await client.call("sqs", "delete_message", QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
    (next_a,) = await receive(client, url)
    assert (next_a["Body"], next_a["Attributes"]["MessageGroupId"]) == ("a2", "a")
    assert int(next_a["Attributes"]["SequenceNumber"]) > 0


async def test_fifo_deduplication_holds_for_five_minutes(aws: MemoryAWS, client: MemoryClient) -> None:
    url = await create(client, "dedup.fifo", FifoQueue="true")
    params: dict[str, Any] = {"QueueUrl": url, "MessageGroupId": "g", "MessageDeduplicationId": "same"}
    first = await client.call("sqs", "send_message", MessageBody="one", **params)
    repeat = await client.call("sqs", "send_message", MessageBody="two", **params)
    assert repeat["MessageId"] == first["MessageId"]
    assert [m.body for m in aws.messages(url)] == ["one"]
    await aws.advance(300)
    await client.call("sqs", "send_message", MessageBody="three", **params)
    assert [m.body for m in aws.messages(url)] == ["one", "three"]


async def test_fifo_needs_a_group_and_a_deduplication_id_or_content_based_deduplication(
    aws: MemoryAWS, client: MemoryClient
) -> None:
    url = await create(client, "strict.fifo", FifoQueue="true")
    with pytest.raises(AWSClientError) as caught:
        await client.call("sqs", "send_message", QueueUrl=url, MessageBody="m", MessageDeduplicationId="d")
    assert caught.value.code == "MissingParameter"
    with pytest.raises(AWSClientError, match="ContentBasedDeduplication"):
        await client.call("sqs", "send_message", QueueUrl=url, MessageBody="m", MessageGroupId="g")
    content = await create(client, "content.fifo", FifoQueue="true", ContentBasedDeduplication="true")
    for _ in range(2):
        await client.call("sqs", "send_message", QueueUrl=content, MessageBody="same", MessageGroupId="g")
    assert len(aws.messages(content)) == 1


async def test_a_message_received_max_receive_count_times_moves_to_the_dead_letter_queue(
    aws: MemoryAWS, client: MemoryClient
) -> None:
    dlq = await create(client, "dead")
    redrive = json.dumps(
        {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dead", "maxReceiveCount": 2}
    )
    url = await create(client, "source", RedrivePolicy=redrive, VisibilityTimeout="5")
    message_id = await aws.send_raw(url, "poison")
    for _ in range(2):
        assert len(await receive(client, url)) == 1
        await aws.advance(5)
    assert await receive(client, url) == []
    (dead,) = aws.dead_letters("source")
    assert (dead.message_id, dead.body, dead.queue) == (message_id, "poison", "dead")
    assert dead.dead_letter_source_arn == "arn:aws:sqs:us-east-1:123456789012:source"
    (received,) = await receive(client, dlq)
    assert received["Attributes"]["DeadLetterQueueSourceArn"] == dead.dead_letter_source_arn


async def test_queue_attributes_count_visible_in_flight_and_delayed_messages(
    aws: MemoryAWS, client: MemoryClient
) -> None:
    url = await create(client, "counts")
    for n in range(3):
        await aws.send_raw(url, f"m{n}")
    await receive(client, url, MaxNumberOfMessages=1)
    await aws.send_raw(url, "later", delay_seconds=10)
    attributes = (await client.call("sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["All"]))[
        "Attributes"
    ]
    assert (
        attributes["ApproximateNumberOfMessages"],
        attributes["ApproximateNumberOfMessagesNotVisible"],
        attributes["ApproximateNumberOfMessagesDelayed"],
    ) == ("2", "1", "1")
    assert [(m.visible, m.in_flight) for m in aws.messages(url)] == [
        (False, True),
        (True, False),
        (True, False),
        (False, False),
    ]


async def test_a_receive_on_a_deleted_queue_fails_as_the_queue_is_missing(
    aws: MemoryAWS, client: MemoryClient
) -> None:
    url = await create(client, "doomed")
    waiting = asyncio.create_task(client.call("sqs", "receive_message", QueueUrl=url, WaitTimeSeconds=20))
    await asyncio.sleep(0)
    await client.call("sqs", "delete_queue", QueueUrl=url)
    with pytest.raises(QueueDoesNotExistError):
        await asyncio.wait_for(waiting, 5)


async def test_sts_names_the_account_of_the_arns(client: MemoryClient) -> None:
    identity = await client.call("sts", "get_caller_identity")
    assert identity["Account"] == "123456789012"
