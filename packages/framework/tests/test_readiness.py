"""Readiness: started, stopping, and the transports' connection and consumer events."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

import tomodachi
from tomodachi._readiness import Readiness, health_options
from tomodachi_middleware import emit


class Named:
    def __init__(self, name: str) -> None:
        self.name = name


@pytest.fixture
async def service() -> Named:
    return Named("orders")


@pytest.fixture
async def readiness(service: Named) -> AsyncIterator[Readiness]:
    state = Readiness([service], asyncio.Event())
    state.watch()
    yield state
    state.close()


async def test_it_is_not_ready_while_starting_and_ready_once_started(readiness: Readiness) -> None:
    assert readiness.status() == (False, ["starting: start hooks or transports are not done"])
    readiness.mark_started()
    assert readiness.status() == (True, [])


async def test_it_is_not_ready_from_the_stop_request_on(service: Named) -> None:
    stop_requested = asyncio.Event()
    state = Readiness([service], stop_requested)
    state.mark_started()
    stop_requested.set()
    assert state.status() == (False, ["stopping: a stop was requested"])


async def test_it_is_not_ready_while_stopping_after_a_failed_start(readiness: Readiness) -> None:
    readiness.mark_stopping()
    assert readiness.status() == (False, ["stopping: a stop was requested"])


async def test_a_lost_connection_makes_it_not_ready_until_restored(
    readiness: Readiness, service: Named
) -> None:
    readiness.mark_started()
    emit("connection.lost", transport="amqp", service=service, broker="127.0.0.1:5672")
    assert readiness.status() == (False, ["amqp connection to 127.0.0.1:5672 lost (service 'orders')"])
    emit("connection.restored", transport="amqp", service=service, broker="127.0.0.1:5672")
    assert readiness.status() == (True, [])


async def test_each_queue_counts_until_its_own_connection_is_restored(
    readiness: Readiness, service: Named
) -> None:
    readiness.mark_started()
    for queue in ("q1", "q2"):
        emit("connection.lost", transport="aws_sns_sqs", service=service, broker="http://sqs", queue=queue)
    emit("connection.restored", transport="aws_sns_sqs", service=service, broker="http://sqs", queue="q1")
    assert readiness.status() == (
        False,
        ["aws_sns_sqs connection to http://sqs lost (service 'orders', queue 'q2')"],
    )


async def test_events_of_other_services_are_ignored(readiness: Readiness) -> None:
    readiness.mark_started()
    emit("connection.lost", transport="amqp", service=Named("other"), broker="b")
    emit("connection.lost", transport="amqp", service=None, broker="b")
    assert readiness.status() == (True, [])


async def test_a_consumer_stopped_before_the_stop_makes_it_not_ready_until_started_again(
    readiness: Readiness, service: Named
) -> None:
    readiness.mark_started()
    emit("consumer.stopped", transport="amqp", service=service, broker="b")
    assert readiness.status() == (False, ["amqp consumer stopped (service 'orders')"])
    emit("consumer.started", transport="amqp", service=service, broker="b")
    assert readiness.status() == (True, [])


async def test_consumers_stopping_during_the_stop_add_no_reason(readiness: Readiness, service: Named) -> None:
    readiness.mark_started()
    readiness.mark_stopping()
    emit("consumer.stopped", transport="amqp", service=service, broker="b")
    assert readiness.status() == (False, ["stopping: a stop was requested"])


async def test_after_close_it_hears_no_more_events(service: Named) -> None:
    state = Readiness([service], asyncio.Event())
    state.watch()
    state.close()
    state.mark_started()
    emit("connection.lost", transport="amqp", service=service, broker="b")
    assert state.status() == (True, [])


def test_health_options_are_found_only_when_enabled() -> None:
    class Off(tomodachi.Service):
        name = "off"

    class On(tomodachi.Service):
        name = "on"
        options = tomodachi.Options(health=tomodachi.Options.Health(enabled=True, port=8081))

    assert health_options(Off()) is None
    section = health_options(On())
    assert section is not None
    assert (section.port, section.liveness_path, section.readiness_path) == (
        8081,
        "/health/live",
        "/health/ready",
    )
