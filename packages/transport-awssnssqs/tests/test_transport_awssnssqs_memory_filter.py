"""Subscription filter policies of the in-memory SNS, observed through what reaches the queue."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tomodachi_transport_awssnssqs import AWSClientError, Publisher
from tomodachi_transport_awssnssqs.testing import MemoryAWS, use_memory_aws


async def delivered(policy: Any, attributes: dict[str, Any], *, message: str = "m", scope: str = "") -> bool:
    """Publish one message to a topic whose only queue has ``policy``; whether it reached the queue."""
    aws = MemoryAWS()
    with use_memory_aws(aws):
        async with Publisher() as publisher:
            arn = await publisher.topic_arn("filtered")
            await publisher.create_queue("filtered-q")
            subscription = {"FilterPolicy": json.dumps(policy)}
            if scope:
                subscription["FilterPolicyScope"] = scope
            await publisher.client.call(
                "sns",
                "subscribe",
                TopicArn=arn,
                Protocol="sqs",
                Endpoint="arn:aws:sqs:us-east-1:123456789012:filtered-q",
                Attributes=subscription,
            )
            await publisher.publish("filtered", message, message_attributes=attributes)
    return len(aws.messages("filtered-q")) == 1


@pytest.mark.parametrize(
    ("policy", "attributes", "expected"),
    [
        ({"event": ["paid"]}, {"event": "paid"}, True),
        ({"event": ["paid"]}, {"event": "created"}, False),
        ({"event": ["paid"]}, {}, False),
        ({"event": ["paid", "refunded"]}, {"event": "refunded"}, True),
        ({"event": ["paid"], "currency": ["EUR"]}, {"event": "paid", "currency": "USD"}, False),
        ({"amount": [100]}, {"amount": 100}, True),
        ({"amount": [100]}, {"amount": "100"}, False),
        ({"amount": [{"numeric": [">", 10]}]}, {"amount": 10.5}, True),
        ({"amount": [{"numeric": [">", 10, "<=", 20]}]}, {"amount": 21}, False),
        ({"amount": [{"numeric": ["=", 5]}]}, {"amount": 5.0}, True),
        ({"event": [{"prefix": "order_"}]}, {"event": "order_paid"}, True),
        ({"event": [{"prefix": "order_"}]}, {"event": "refund"}, False),
        ({"event": [{"suffix": "_paid"}]}, {"event": "order_paid"}, True),
        ({"event": [{"equals-ignore-case": "PAID"}]}, {"event": "paid"}, True),
        ({"event": [{"anything-but": ["paid"]}]}, {"event": "created"}, True),
        ({"event": [{"anything-but": ["paid"]}]}, {"event": "paid"}, False),
        ({"event": [{"anything-but": ["paid"]}]}, {}, False),
        ({"event": [{"anything-but": {"prefix": "test_"}}]}, {"event": "test_x"}, False),
        ({"event": [{"exists": True}]}, {"event": "anything"}, True),
        ({"event": [{"exists": True}]}, {}, False),
        ({"event": [{"exists": False}]}, {}, True),
        ({"event": [{"exists": False}]}, {"event": "x"}, False),
        ({"tags": ["red"]}, {"tags": ["blue", "red"]}, True),
        ({"tags": ["red"]}, {"tags": ["blue"]}, False),
        ({"raw": ["AA=="]}, {"raw": b"\x00"}, False),
        ({"ip": [{"cidr": "10.0.0.0/24"}]}, {"ip": "10.0.0.7"}, True),
        ({"event": [{"wildcard": "order_*_done"}]}, {"event": "order_x_done"}, True),
        ({"$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"b": "2"}, True),
        ({"$or": [{"a": ["1"]}, {"b": ["2"]}]}, {"c": "3"}, False),
        ({}, {}, True),
    ],
)
async def test_a_filter_policy_on_message_attributes_decides_what_reaches_the_queue(
    policy: Any, attributes: dict[str, Any], expected: bool
) -> None:
    assert await delivered(policy, attributes) is expected


@pytest.mark.parametrize(
    ("policy", "body", "expected"),
    [
        ({"order": {"status": ["paid"]}}, {"order": {"status": "paid"}}, True),
        ({"order": {"status": ["paid"]}}, {"order": {"status": "open"}}, False),
        ({"items": {"sku": ["a"]}}, {"items": [{"sku": "b"}, {"sku": "a"}]}, True),
        ({"total": [{"numeric": [">=", 10]}]}, {"total": 9}, False),
        ({"flag": [True]}, {"flag": True}, True),
        ({"gone": [None]}, {"gone": None}, True),
    ],
)
async def test_a_filter_policy_on_the_message_body_walks_its_json(
    policy: Any, body: Any, expected: bool
) -> None:
    assert await delivered(policy, {}, message=json.dumps(body), scope="MessageBody") is expected


async def test_a_body_scoped_policy_never_lets_a_non_json_message_through() -> None:
    assert await delivered({"a": ["b"]}, {}, message="not json", scope="MessageBody") is False


@pytest.mark.parametrize(
    "policy",
    [
        ["not", "an", "object"],
        {"event": "paid"},
        {"event": []},
        {"event": [{"unknown-operator": 1}]},
        {"amount": [{"numeric": ["~", 1]}]},
        {"event": [{"prefix": 1}]},
        {"nested": {"in": ["attribute scope"]}},
    ],
)
async def test_a_malformed_filter_policy_is_refused_with_invalid_parameter(policy: Any) -> None:
    with pytest.raises(AWSClientError) as caught:
        await delivered(policy, {})
    assert caught.value.code == "InvalidParameter"


async def test_changing_a_subscription_filter_policy_applies_to_the_next_publish() -> None:
    aws = MemoryAWS()
    client = aws.client()
    arn = (await client.call("sns", "create_topic", Name="t"))["TopicArn"]
    await client.call("sqs", "create_queue", QueueName="q")
    subscription = await client.call(
        "sns", "subscribe", TopicArn=arn, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:123456789012:q"
    )
    await aws.publish_raw(arn, "before", {"kind": "b"})
    await client.call(
        "sns",
        "set_subscription_attributes",
        SubscriptionArn=subscription["SubscriptionArn"],
        AttributeName="FilterPolicy",
        AttributeValue=json.dumps({"kind": ["a"]}),
    )
    await aws.publish_raw(arn, "after-b", {"kind": "b"})
    await aws.publish_raw(arn, "after-a", {"kind": "a"})
    assert [m.message for m in aws.messages("q")] == ["before", "after-a"]


async def test_subscribing_again_with_another_filter_policy_is_refused_as_aws_does() -> None:
    aws = MemoryAWS()
    client = aws.client()
    arn = (await client.call("sns", "create_topic", Name="t"))["TopicArn"]
    params: dict[str, Any] = {
        "TopicArn": arn,
        "Protocol": "sqs",
        "Endpoint": "arn:aws:sqs:us-east-1:123456789012:q",
    }
    first = await client.call("sns", "subscribe", **params, Attributes={"FilterPolicy": '{"a": ["1"]}'})
    assert (await client.call("sns", "subscribe", **params))["SubscriptionArn"] == first["SubscriptionArn"]
    with pytest.raises(AWSClientError, match="already exists with different attributes"):
        await client.call("sns", "subscribe", **params, Attributes={"FilterPolicy": '{"a": ["2"]}'})
