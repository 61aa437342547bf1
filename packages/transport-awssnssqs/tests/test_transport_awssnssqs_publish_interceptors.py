from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tomodachi_envelope import JsonBase, ServiceIdentity
from tomodachi_middleware import Publication, intercept_publish
from tomodachi_transport_awssnssqs import Client, Publisher
from tomodachi_transport_awssnssqs.testing import moto_settings

SERVICE = ServiceIdentity("interceptor-tests", "0c1d2e3f")


@pytest.fixture
def publications() -> Iterator[list[tuple[Publication, str]]]:
    seen: list[tuple[Publication, str]] = []

    async def interceptor(publication: Publication, send: Any) -> Any:
        publication.carrier["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        result = await send()
        seen.append((publication, str(publication.message_id)))
        return result

    remove = intercept_publish(interceptor)
    yield seen
    remove()


async def receive_one(client: Client, url: str) -> dict[str, Any]:
    response = await client.call(
        "sqs", "receive_message", QueueUrl=url, WaitTimeSeconds=2, MessageAttributeNames=["All"]
    )
    messages = response.get("Messages", [])
    assert len(messages) == 1
    message: dict[str, Any] = messages[0]
    return message


async def test_an_interceptor_puts_attributes_on_the_sns_message_and_sees_its_id(
    moto_url: str, publications: list[tuple[Publication, str]]
) -> None:
    topic = f"icp-{uuid.uuid4().hex[:10]}"
    async with Publisher(service=SERVICE, message_envelope=JsonBase, settings=moto_settings(moto_url)) as pub:
        arn = await pub.topic_arn(topic)
        url = str((await pub.client.call("sqs", "create_queue", QueueName=topic))["QueueUrl"])
        queue_arn = (
            await pub.client.call("sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["QueueArn"])
        )["Attributes"]["QueueArn"]
        await pub.client.call("sns", "subscribe", TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)
        message_id = await pub.publish(topic, {"id": 1}, message_attributes={"kind": "order"})
        body = json.loads((await receive_one(pub.client, url))["Body"])
    assert body["MessageAttributes"]["traceparent"]["Value"].startswith("00-0af7651916cd43dd")
    assert body["MessageAttributes"]["kind"]["Value"] == "order"
    [(publication, seen_id)] = publications
    assert (publication.operation, publication.destination, seen_id) == ("sns.publish", topic, message_id)


async def test_an_interceptor_puts_attributes_on_the_sqs_message_and_sees_its_id(
    moto_url: str, publications: list[tuple[Publication, str]]
) -> None:
    queue = f"icp-{uuid.uuid4().hex[:10]}"
    async with Publisher(service=SERVICE, message_envelope=JsonBase, settings=moto_settings(moto_url)) as pub:
        url = await pub.create_queue(queue)
        message_id = await pub.send_message(queue, {"id": 2})
        message = await receive_one(pub.client, url)
    assert message["MessageAttributes"]["traceparent"]["StringValue"].startswith("00-0af7651916cd43dd")
    [(publication, seen_id)] = publications
    assert (publication.operation, publication.destination, seen_id) == (
        "sqs.send_message",
        queue,
        message_id,
    )
    assert publication.details["queue_url"] == url
