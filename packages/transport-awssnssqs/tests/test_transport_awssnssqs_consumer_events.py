"""The operational events of the SQS consumers: started and stopped, the endpoint lost and back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_middleware import observe
from tomodachi_transport_awssnssqs import aws_sns_sqs
from tomodachi_transport_awssnssqs.testing import free_port, moto_server

Events = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def events() -> Iterator[Events]:
    received: Events = []

    def record(event: str, fields: Mapping[str, Any]) -> None:
        received.append((event, dict(fields)))

    unsubscribe = observe(record)
    yield received
    unsubscribe()


def _names(events: Events, service: object) -> list[str]:
    return [event for event, fields in events if fields.get("service") is service]


async def test_consuming_and_draining_report_consumer_started_and_stopped(
    harness: Any, events: Events
) -> None:
    topic = harness.unique("events-topic")

    class Service:
        name, uuid = "events", "u"
        message_envelope = JsonBase

        @aws_sns_sqs(topic)
        async def handler(self, data: Any) -> None:
            pass

    service = Service()
    runtime = await harness.start(service)
    assert _names(events, service) == ["consumer.started"]
    await harness.stop(runtime)
    assert _names(events, service) == ["consumer.started", "consumer.stopped"]
    fields = events[0][1]
    assert fields["transport"] == "aws_sns_sqs"
    assert fields["broker"] == harness.url
    assert fields["queue"] == runtime.consumers[0].queue_url
    assert fields["handler"] == "handler"


async def test_an_endpoint_outage_reports_connection_lost_then_restored_once(
    harness: Any, events: Events
) -> None:
    port = free_port()

    class Service:
        name, uuid = "events-outage", "u"
        message_envelope = JsonBase

        @aws_sns_sqs("events-outage-topic")
        async def handler(self, data: Any) -> None:
            pass

    service = Service()
    with moto_server(port=port) as url:
        service.options = harness.options()  # type: ignore[attr-defined]
        service.options.aws_endpoint_urls.sns = service.options.aws_endpoint_urls.sqs = url  # type: ignore[attr-defined]
        runtime = await harness.start(service)
    await harness.eventually(lambda: "connection.lost" in _names(events, service), within=15)
    lost = next(fields for event, fields in events if event == "connection.lost")
    assert lost["broker"] == url
    with moto_server(port=port):
        await harness.eventually(lambda: "connection.restored" in _names(events, service), within=20)
        assert _names(events, service) == ["consumer.started", "connection.lost", "connection.restored"]
        await harness.stop(runtime)
