from __future__ import annotations

import asyncio
import json
from typing import Any

from tomodachi_envelope import JsonBase
from tomodachi_transport_awssnssqs import aws_sns_sqs
from tomodachi_transport_awssnssqs.testing import free_port, moto_server


class AsyncEnvelope:
    """A 0.29-style custom envelope with coroutine methods."""

    @classmethod
    async def build_message(cls, service: Any, topic: str, data: Any, **kwargs: Any) -> str:
        return json.dumps({"wrapped": data, "topic": "FROM-MESSAGE", "message": "FROM-MESSAGE"})

    @classmethod
    async def parse_message(cls, payload: str, **kwargs: Any) -> tuple[Any, str, float]:
        return json.loads(payload), "uuid-x", 0.0


async def test_handler_gets_every_transport_keyword(harness: Any) -> None:
    topic = harness.unique("keywords")
    got: list[dict[str, Any]] = []

    class Service:
        name, uuid = "keywords", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic)
        async def handler(
            self,
            data: Any,
            message: Any,
            message_uuid: str,
            topic: str,
            receipt_handle: str,
            queue_url: str,
            message_attributes: dict[str, Any],
            approximate_receive_count: int,
            sns_message_id: str,
            sqs_message_id: str,
            message_type: str,
            raw_message_body: str,
            message_timestamp: str,
            message_deduplication_id: str | None,
            message_group_id: str | None,
            metadata: dict[str, Any],
            service: dict[str, Any],
        ) -> None:
            got.append(dict(locals()))

    runtime = await harness.start(Service())
    await harness.publisher.publish(topic, [1, 2], message_envelope=JsonBase, message_attributes={"b": True})
    await harness.eventually(lambda: len(got) == 1)
    values = got[0]
    assert values["data"] == [1, 2]
    assert values["message"]["data"] == [1, 2]
    assert values["message_uuid"] == values["metadata"]["message_uuid"]
    assert values["topic"] == topic
    assert values["queue_url"] == runtime.consumers[0].queue_url
    assert values["message_attributes"] == {"b": True}
    assert values["approximate_receive_count"] == 1
    assert values["sns_message_id"]
    assert values["sqs_message_id"]
    assert values["message_type"] == "Notification"
    assert json.loads(values["raw_message_body"])["Type"] == "Notification"
    assert values["message_timestamp"].endswith("Z")
    assert values["message_deduplication_id"] is None
    assert values["message_group_id"] is None
    assert "name" in values["service"]


async def test_without_an_envelope_the_first_parameter_gets_the_raw_payload(harness: Any) -> None:
    queue = harness.unique("raw")
    got: list[tuple[Any, ...]] = []

    class Service:
        name, uuid = "raw", "u"

        @aws_sns_sqs(queue_name=queue)
        async def handler(self, payload: str, second: Any, topic: str) -> None:
            got.append((payload, second, topic))

    await harness.start(Service())
    await harness.publisher.send_message(queue, "plain text", message_envelope=None)
    await harness.eventually(lambda: len(got) == 1)
    assert got == [("plain text", None, "")]


async def test_an_async_custom_envelope_works_and_transport_values_win(harness: Any) -> None:
    topic = harness.unique("custom")
    got: list[tuple[Any, ...]] = []

    class Service:
        name, uuid = "custom", "u"
        message_envelope = AsyncEnvelope

        @aws_sns_sqs(topic)
        async def handler(self, wrapped: Any, topic: str, message: Any, message_uuid: str) -> None:
            got.append((wrapped, topic, message["topic"], message_uuid))

    await harness.start(Service())
    await harness.publisher.publish(topic, {"k": 1}, message_envelope=AsyncEnvelope)
    await harness.eventually(lambda: len(got) == 1)
    assert got == [({"k": 1}, topic, "FROM-MESSAGE", "uuid-x")]


async def test_the_consumer_survives_the_endpoint_going_away_and_coming_back(
    harness: Any, caplog: Any
) -> None:
    port = free_port()
    handled: list[Any] = []

    class Service:
        name, uuid = "outage", "u"
        message_envelope = JsonBase

        @aws_sns_sqs("outage-topic")
        async def handler(self, data: Any) -> None:
            handled.append(data)

    with moto_server(port=port) as url:
        service = Service()
        service.options = harness.options()  # type: ignore[attr-defined]
        service.options.aws_endpoint_urls.sns = service.options.aws_endpoint_urls.sqs = url  # type: ignore[attr-defined]
        runtime = await harness.start(service)
        publisher = runtime.publisher
        await publisher.publish("outage-topic", 1)
        await harness.eventually(lambda: handled == [1])
    caplog.set_level("WARNING", "tomodachi.awssnssqs")
    await asyncio.sleep(2)
    assert any("retrying" in record.getMessage() for record in caplog.records)
    with moto_server(port=port):
        await asyncio.sleep(3)  # the consumer sets its queue and subscription up again
        publisher.forget()
        for _ in range(20):
            await publisher.publish("outage-topic", 2)
            try:
                await harness.eventually(lambda: 2 in handled, within=1.5)
                break
            except AssertionError:
                continue
        assert 2 in handled
        await harness.stop(runtime)
