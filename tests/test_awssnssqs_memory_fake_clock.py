"""The in-memory AWS runs on the scheduler's fake clock, as the facade's test helpers pair them."""

from __future__ import annotations

from tomodachi_scheduler.testing import FakeClock
from tomodachi_transport_awssnssqs.testing import MemoryAWS


async def test_visibility_timeouts_of_the_in_memory_sqs_follow_the_scheduler_fake_clock() -> None:
    clock = FakeClock(start=1_700_000_000.0)
    aws = MemoryAWS(clock=clock)
    client = aws.client()
    url = (await client.call("sqs", "create_queue", QueueName="q", Attributes={"VisibilityTimeout": "10"}))[
        "QueueUrl"
    ]
    await aws.send_raw("q", "m")
    (message,) = (await client.call("sqs", "receive_message", QueueUrl=url, AttributeNames=["All"]))[
        "Messages"
    ]
    assert message["Attributes"]["SentTimestamp"] == "1700000000000"
    await aws.advance(9)
    assert await client.call("sqs", "receive_message", QueueUrl=url) == {}
    await aws.advance(1)
    assert len((await client.call("sqs", "receive_message", QueueUrl=url))["Messages"]) == 1
