"""A trace across an HTTP request, a publish and the consuming handler, on SNS+SQS and on AMQP."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import pytest
from opentelemetry.trace import SpanKind
from otel_support import Telemetry, eventually, hex_trace, is_child, running

import tomodachi
from tomodachi.envelope import JsonBase
from tomodachi.opentelemetry import TomodachiInstrumentor
from tomodachi_transport_amqp import close_publishers
from tomodachi_transport_amqp.testing import broker_lock
from tomodachi_transport_awssnssqs.testing import moto_server


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture
def telemetry() -> Iterator[Telemetry]:
    made = Telemetry()
    instrumentor = TomodachiInstrumentor()
    instrumentor.instrument(tracer_provider=made.tracer_provider, meter_provider=made.meter_provider)
    yield made
    instrumentor.uninstrument()


@pytest.fixture
async def broker() -> AsyncIterator[None]:
    async with broker_lock():
        yield
    await close_publishers()


def aws_options(url: str) -> tomodachi.Options:
    return tomodachi.Options(
        http={"port": 0, "host": "127.0.0.1"},
        aws_sns_sqs={"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"},
        aws_endpoint_urls={"sns": url, "sqs": url},
    )


async def post(port: int, path: str) -> int:
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as session,
        session.post(f"http://127.0.0.1:{port}{path}") as response,
    ):
        await response.read()
        return response.status


async def test_sns_publish_from_a_request_is_the_parent_of_the_consuming_handlers_span(
    moto_url: str, telemetry: Telemetry
) -> None:
    topic = f"otel-{uuid.uuid4().hex[:10]}"
    handled: list[dict[str, Any]] = []

    class Orders(tomodachi.Service):
        name = "otel-orders"
        message_envelope = JsonBase
        options = aws_options(moto_url)

        @tomodachi.http("POST", r"/orders")
        async def create(self, request: Any) -> Any:
            await tomodachi.aws_sns_sqs_publish(self, {"order": 1}, topic=topic)
            return 201, "created"

        @tomodachi.aws_sns_sqs(topic)
        async def on_created(self, data: Any, message_attributes: dict[str, Any]) -> None:
            handled.append(message_attributes)

    async with running(Orders) as [(_, runtimes)]:
        assert await post(runtimes["http"].port, "/orders") == 201
        await eventually(lambda: len(handled) == 1)
        await eventually(lambda: any(span.name == f"{topic} process" for span in telemetry.spans()))
    server = telemetry.span("POST /orders")
    producer = telemetry.span(f"{topic} publish")
    consumer = telemetry.span(f"{topic} process")
    assert (server.kind, producer.kind, consumer.kind) == (
        SpanKind.SERVER,
        SpanKind.PRODUCER,
        SpanKind.CONSUMER,
    )
    assert is_child(producer, server)
    assert is_child(consumer, producer)
    assert handled[0]["traceparent"].split("-")[1] == hex_trace(server)
    producer_attributes = dict(producer.attributes or {})
    assert producer_attributes["messaging.system"] == "aws_sns"
    assert producer_attributes["messaging.destination.name"] == topic
    assert producer_attributes["messaging.message.id"]
    consumer_attributes = dict(consumer.attributes or {})
    assert consumer_attributes["messaging.system"] == "aws_sqs"
    assert consumer_attributes["messaging.operation"] == "process"
    assert consumer_attributes["messaging.destination_publish.name"] == topic
    assert consumer_attributes["messaging.destination_publish.kind"] == "topic"
    assert consumer_attributes["messaging.message.id"] == producer_attributes["messaging.message.id"]
    assert consumer_attributes["code.function"] == "on_created"
    [duration] = telemetry.metric_points("messaging.aws_sqs.duration")
    assert duration.count == 1


async def test_sqs_send_message_carries_the_trace_to_the_queue_consumer(
    moto_url: str, telemetry: Telemetry
) -> None:
    queue = f"otel-q-{uuid.uuid4().hex[:10]}"
    handled: list[str] = []

    class Jobs(tomodachi.Service):
        name = "otel-jobs"
        message_envelope = JsonBase
        options = aws_options(moto_url)

        @tomodachi.http("POST", r"/jobs")
        async def create(self, request: Any) -> Any:
            await tomodachi.aws_sns_sqs_send_message(self, {"job": 1}, queue_name=queue)
            return 202, "queued"

        @tomodachi.aws_sns_sqs(queue_name=queue)
        async def on_job(self, data: Any) -> None:
            handled.append("job")

    async with running(Jobs) as [(_, runtimes)]:
        assert await post(runtimes["http"].port, "/jobs") == 202
        await eventually(lambda: len(handled) == 1)
        await eventually(lambda: any(span.name == f"{queue} process" for span in telemetry.spans()))
    server = telemetry.span("POST /jobs")
    producer = telemetry.span(f"{queue} publish")
    consumer = telemetry.span(f"{queue} process")
    assert is_child(producer, server)
    assert is_child(consumer, producer)
    assert dict(consumer.attributes or {})["messaging.destination_publish.kind"] == "queue"
    assert dict(producer.attributes or {})["messaging.system"] == "aws_sqs"


async def test_amqp_publish_from_a_request_is_the_parent_of_the_consuming_handlers_span(
    broker: None, telemetry: Telemetry
) -> None:
    key = f"otel.{uuid.uuid4().hex[:10]}"
    handled: list[Any] = []

    class Orders(tomodachi.Service):
        name = "otel-amqp-orders"
        message_envelope = JsonBase
        options = tomodachi.Options(
            http={"port": 0, "host": "127.0.0.1"},
            amqp={"queue_name_prefix": f"otel-{uuid.uuid4().hex[:8]}-", "queue_ttl": 60},
        )

        @tomodachi.http("POST", r"/orders")
        async def create(self, request: Any) -> Any:
            await tomodachi.amqp_publish(self, {"order": 1}, routing_key=key)
            return 201, "created"

        @tomodachi.amqp(key)
        async def on_created(self, data: Any, properties: Any) -> None:
            handled.append(properties)

    async with running(Orders) as [(_, runtimes)]:
        assert await post(runtimes["http"].port, "/orders") == 201
        await eventually(lambda: len(handled) == 1)
        await eventually(lambda: any(span.name == f"{key} process" for span in telemetry.spans()))
    server = telemetry.span("POST /orders")
    producer = telemetry.span(f"{key} publish")
    consumer = telemetry.span(f"{key} process")
    assert is_child(producer, server)
    assert is_child(consumer, producer)
    assert handled[0].headers["traceparent"].split("-")[1] == hex_trace(server)
    attributes = dict(consumer.attributes or {})
    assert attributes["messaging.system"] == "rabbitmq"
    assert attributes["messaging.destination.name"] == "amq.topic"
    assert attributes["messaging.rabbitmq.destination.routing_key"] == key
    [active] = telemetry.metric_points("messaging.rabbitmq.active_tasks")
    assert active.value == 0
