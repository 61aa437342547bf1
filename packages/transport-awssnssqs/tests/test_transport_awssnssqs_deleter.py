from __future__ import annotations

import asyncio

from tomodachi_transport_awssnssqs._deleter import Deleter
from tomodachi_transport_awssnssqs.testing import ManualClock, MemoryAWS


async def test_a_handled_message_is_deleted_from_the_in_memory_queue_without_waiting() -> None:
    aws = MemoryAWS(ManualClock())
    client = aws.client()
    queue_url = (await client.call("sqs", "create_queue", QueueName="jobs"))["QueueUrl"]
    await client.call("sqs", "send_message", QueueUrl=queue_url, MessageBody="one")
    received = await client.call("sqs", "receive_message", QueueUrl=queue_url, MaxNumberOfMessages=1)
    handle = received["Messages"][0]["ReceiptHandle"]

    deleter = Deleter(client, queue_url)
    deletion = asyncio.ensure_future(deleter.delete(handle))
    for _ in range(10):  # a few loop iterations, no time passing
        await asyncio.sleep(0)

    assert deletion.done()
    assert deletion.result() is True
    assert aws.messages("jobs") == []


async def test_deletes_to_a_real_endpoint_wait_to_share_a_batch() -> None:
    class EndpointClient:
        async def call(self, service: str, operation: str, **params: object) -> dict[str, object]:
            return {"Successful": [{"Id": entry["Id"]} for entry in params["Entries"]]}  # type: ignore[attr-defined]

        async def close(self) -> None:
            pass

    deleter = Deleter(EndpointClient(), "https://sqs.example/queue")
    assert deleter.delay == 0.1
