"""The operational events of the AMQP runtime: consumers started and stopped, a connection lost and back."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tomodachi_middleware import observe
from tomodachi_transport_amqp import amqp
from tomodachi_transport_amqp.testing import ServiceStub, close_connections_named, wait_until

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
    key: str, prefix: str, runtimes: Any, events: Events
) -> None:
    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            pass

    service = Service({"queue_name_prefix": prefix})
    runtime = runtimes(service)
    await runtime.start()
    assert _names(events, service) == []
    await runtime.consume()
    assert _names(events, service) == ["consumer.started"]
    await runtime.drain()
    assert _names(events, service) == ["consumer.started", "consumer.stopped"]
    started = next(fields for event, fields in events if event == "consumer.started")
    assert started == {"transport": "amqp", "service": service, "broker": "127.0.0.1:5672"}


async def test_a_closed_connection_reports_connection_lost_then_restored(
    key: str, prefix: str, runtimes: Any, events: Events
) -> None:
    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            pass

    service = Service({"queue_name_prefix": prefix})
    runtime = runtimes(service)
    await runtime.start()
    await runtime.consume()
    assert await close_connections_named(runtime.connection_name) == 1
    await wait_until(lambda: "connection.restored" in _names(events, service), within=20)
    assert _names(events, service) == ["consumer.started", "connection.lost", "connection.restored"]
    lost = next(fields for event, fields in events if event == "connection.lost")
    assert lost == {"transport": "amqp", "service": service, "broker": "127.0.0.1:5672"}
    assert runtime.reconnects == 1
