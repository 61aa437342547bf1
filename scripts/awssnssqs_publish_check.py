"""Publishes to SNS and sends to SQS from a plain script with only tomodachi-transport-awssnssqs installed.

Usage: ``python awssnssqs_publish_check.py <moto url>``. Fails unless both messages arrive and neither
aiohttp's server, aioamqp nor the tomodachi facade was ever imported.
"""

from __future__ import annotations

import asyncio
import json
import sys
import uuid

from tomodachi_envelope import JsonBase, ServiceIdentity
from tomodachi_transport_awssnssqs import ClientSettings, Publisher

FORBIDDEN = ("aiohttp.web", "aioamqp", "tomodachi")


async def main(url: str) -> None:
    settings = ClientSettings(
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        endpoint_urls={"sns": url, "sqs": url},
    )
    topic = f"isolation-{uuid.uuid4().hex[:8]}"
    service = ServiceIdentity("isolation-script", "1")
    async with Publisher(service=service, message_envelope=JsonBase, settings=settings) as publisher:
        client = publisher.client
        queue_url = (await client.call("sqs", "create_queue", QueueName=topic))["QueueUrl"]
        attributes = await client.call(
            "sqs", "get_queue_attributes", QueueUrl=queue_url, AttributeNames=["QueueArn"]
        )
        topic_arn = await publisher.topic_arn(topic)
        await client.call(
            "sns",
            "subscribe",
            TopicArn=topic_arn,
            Protocol="sqs",
            Endpoint=attributes["Attributes"]["QueueArn"],
        )
        await publisher.publish(topic, {"via": "sns"})
        await publisher.send_message(topic, {"via": "sqs"})
        received = []
        for _ in range(5):
            response = await client.call("sqs", "receive_message", QueueUrl=queue_url, WaitTimeSeconds=1)
            for message in response.get("Messages", []):
                received.append(JsonBase.parse_message(json.loads(message["Body"])["Message"]).data["via"])
            if len(received) == 2:
                break
    assert sorted(received) == ["sns", "sqs"], received


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
    imported = [
        name
        for name in sys.modules
        if name in FORBIDDEN or name.startswith(tuple(f"{f}." for f in FORBIDDEN))
    ]
    if imported:
        raise SystemExit(f"imported what a publishing script must not: {imported}")
    print(
        "awssnssqs publish check: published and sent through moto; "
        "aiohttp.web, aioamqp and tomodachi never imported"
    )
