"""An SNS+SQS consumer configured by environment variables, printing what it handles.

SNS_SQS_URL: the moto server; SNS_SQS_TOPIC: the topic; SNS_SQS_SLEEP: seconds each message takes;
SNS_SQS_REPLY: a topic to publish each handled message's data to; SNS_SQS_FAIL: "1" to fail each
message's first delivery.
"""

import asyncio
import os
from typing import Any

import tomodachi
from tomodachi.envelope import JsonBase

URL = os.environ["SNS_SQS_URL"]
TOPIC = os.environ.get("SNS_SQS_TOPIC", "awssnssqs-worker")
SLEEP = float(os.environ.get("SNS_SQS_SLEEP", "0"))
REPLY = os.environ.get("SNS_SQS_REPLY", "")
FAIL = os.environ.get("SNS_SQS_FAIL") == "1"


async def count_middleware(func: Any, service: Any, message: Any, topic: str) -> Any:
    service.seen += 1
    return await func(seen=service.seen)


class Worker(tomodachi.Service):
    name = "awssnssqs-worker"
    message_envelope = JsonBase
    message_middleware = [count_middleware]
    options = tomodachi.Options(
        aws_sns_sqs={"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"},
        aws_endpoint_urls={"sns": URL, "sqs": URL},
    )
    seen = 0

    @tomodachi.aws_sns_sqs(TOPIC)
    async def handle(self, data: Any, topic: str, seen: int, approximate_receive_count: int) -> None:
        print(f"started {data}", flush=True)
        if FAIL and approximate_receive_count == 1:
            raise RuntimeError(f"first delivery of {data}")
        if SLEEP:
            await asyncio.sleep(SLEEP)
        if REPLY:
            await tomodachi.aws_sns_sqs_publish(self, data, topic=REPLY)
        print(
            f"handled {data} topic={topic} seen={seen} receive_count={approximate_receive_count}", flush=True
        )

    async def _started_service(self) -> None:
        print("worker started", flush=True)
