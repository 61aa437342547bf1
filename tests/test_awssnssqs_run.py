"""``tomodachi run`` with an SNS+SQS service against a moto server: handling, replies, failures, stop."""

from __future__ import annotations

import asyncio
import json
import signal
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from tomodachi_process import Processes, TomodachiProcess

from tomodachi_envelope import JsonBase, ServiceIdentity
from tomodachi_transport_awssnssqs import Publisher
from tomodachi_transport_awssnssqs.testing import moto_server, moto_settings

SENDER = ServiceIdentity("e2e-sender", "e2e")


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


def start(processes: Processes, url: str, topic: str, **env: str) -> TomodachiProcess:
    environment = {"SNS_SQS_URL": url, "SNS_SQS_TOPIC": topic, **env}
    process = processes.start("run", "--production", "awssnssqs_worker.py", env=environment)
    process.wait_for("worker started", timeout=30)
    return process


async def publish(url: str, topic: str, *items: Any) -> None:
    async with Publisher(service=SENDER, message_envelope=JsonBase, settings=moto_settings(url)) as publisher:
        for item in items:
            await publisher.publish(topic, item)


async def test_the_service_handles_published_messages_and_publishes_replies(
    processes: Processes, moto_url: str
) -> None:
    topic, reply = f"e2e-{uuid.uuid4().hex[:8]}", f"e2e-reply-{uuid.uuid4().hex[:8]}"
    async with Publisher(settings=moto_settings(moto_url)) as publisher:
        reply_arn = await publisher.topic_arn(reply)
        queue_url = await publisher.create_queue(reply)
        queue_arn = (
            await publisher.client.call(
                "sqs", "get_queue_attributes", QueueUrl=queue_url, AttributeNames=["QueueArn"]
            )
        )["Attributes"]["QueueArn"]
        await publisher.client.call(
            "sns", "subscribe", TopicArn=reply_arn, Protocol="sqs", Endpoint=queue_arn
        )
        process = start(processes, moto_url, topic, SNS_SQS_REPLY=reply)
        await publish(moto_url, topic, {"n": 1})
        await asyncio.to_thread(process.wait_for, f"handled {{'n': 1}} topic={topic} seen=1 receive_count=1")
        response = await publisher.client.call(
            "sqs", "receive_message", QueueUrl=queue_url, WaitTimeSeconds=5
        )
    body = json.loads(response["Messages"][0]["Body"])
    parsed = JsonBase.parse_message(body["Message"])
    assert parsed.data == {"n": 1}
    assert parsed.message["service"]["name"] == "awssnssqs-worker"
    process.send(signal.SIGTERM)
    assert await asyncio.to_thread(process.wait) == 0


async def test_a_failed_message_is_delivered_again_and_handled(processes: Processes, moto_url: str) -> None:
    topic = f"e2e-fail-{uuid.uuid4().hex[:8]}"
    process = start(processes, moto_url, topic, SNS_SQS_FAIL="1")
    await publish(moto_url, topic, "again")
    await asyncio.to_thread(process.wait_for, "handled again", timeout=30)
    assert "uncaught exception: first delivery of again" in process.stdout + process.stderr
    assert "receive_count=2" in process.stdout
    process.send(signal.SIGTERM)
    assert await asyncio.to_thread(process.wait) == 0


async def test_sigterm_lets_messages_in_flight_finish(processes: Processes, moto_url: str) -> None:
    topic = f"e2e-stop-{uuid.uuid4().hex[:8]}"
    process = start(processes, moto_url, topic, SNS_SQS_SLEEP="2")
    await publish(moto_url, topic, "slow")
    await asyncio.to_thread(process.wait_for, "started slow")
    process.send(signal.SIGTERM)
    assert await asyncio.to_thread(process.wait) == 0
    assert "handled slow" in process.stdout


def test_an_unreachable_endpoint_fails_the_start_with_exit_code_1(processes: Processes) -> None:
    process = processes.start(
        "run",
        "--production",
        "awssnssqs_worker.py",
        env={"SNS_SQS_URL": "http://127.0.0.1:9", "SNS_SQS_TOPIC": "t"},
    )
    assert process.wait(60) == 1
