"""Retried, dead-lettered and unparseable messages are reported as operational events."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_middleware import observe
from tomodachi_transport_amqp import RetryPolicy, amqp, amqp_publish
from tomodachi_transport_amqp.testing import ServiceStub, wait_until

Events = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def events() -> Iterator[Events]:
    received: Events = []

    def record(event: str, fields: Mapping[str, Any]) -> None:
        if event.startswith("message."):
            received.append((event, dict(fields)))

    unsubscribe = observe(record)
    yield received
    unsubscribe()


async def test_a_failing_message_is_reported_retried_then_dead_lettered(
    prefix: str, key: str, runtimes: Any, events: Events
) -> None:
    class Service(ServiceStub):
        @amqp(key, retry_policy=RetryPolicy(attempts=3, delay=0.05, factor=1.0))
        async def handler(self, message: str) -> None:
            raise ValueError("cannot handle this")

    service = Service({"queue_name_prefix": prefix})
    runtime = runtimes(service)
    await runtime.start()
    await runtime.consume()
    await amqp_publish(service, "doomed", routing_key=key)
    await wait_until(lambda: any(name == "message.dead_lettered" for name, _ in events), within=15)
    queue = runtime.consumers[0].queue
    assert [name for name, _ in events] == ["message.retried", "message.retried", "message.dead_lettered"]
    assert all(
        f["transport"] == "amqp" and f["service"] is service and f["queue"] == queue for _, f in events
    )
    assert events[-1][1]["reason"] == "attempts"


async def test_an_unparseable_message_is_reported_unparseable_and_dead_lettered(
    prefix: str, key: str, runtimes: Any, events: Events
) -> None:
    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, data: Any) -> None:
            pass

    service = Service({"queue_name_prefix": prefix}, message_envelope=JsonBase)
    runtime = runtimes(service)
    await runtime.start()
    await runtime.consume()
    await amqp_publish(service, "{not json", routing_key=key, message_envelope=None)
    await wait_until(lambda: len(events) == 2)
    assert [name for name, _ in events] == ["message.unparseable", "message.dead_lettered"]
    assert events[1][1]["reason"] == "unparseable"
    assert events[0][1]["queue"] == runtime.consumers[0].queue
