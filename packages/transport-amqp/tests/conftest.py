"""Fixtures of the AMQP transport's tests, which run against the RabbitMQ broker on 127.0.0.1:5672.

A test that needs the broker fails when there is none; it never skips.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from tomodachi_transport_amqp import AmqpRuntime, close_publishers
from tomodachi_transport_amqp.testing import broker_lock, delete_declared_queues, handler_specs_of

UNREACHABLE_PORT = 1  # tests of a broker that cannot be reached connect here

MakeRuntime = Callable[..., AmqpRuntime]


@pytest.fixture(autouse=True)
async def shared_broker() -> AsyncIterator[None]:
    """Every test holds the broker shared, so no test run on this machine restarts it meanwhile."""
    async with broker_lock():
        yield


@pytest.fixture
def prefix() -> str:
    """A queue name prefix of this test alone."""
    return f"test-{uuid.uuid4().hex[:12]}-"


@pytest.fixture
def key() -> str:
    """A routing key of this test alone."""
    return f"test.{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def runtimes() -> AsyncIterator[MakeRuntime]:
    """Makes runtimes for a service; at teardown stops them and deletes what they declared."""
    made: list[AmqpRuntime] = []

    def make(service: Any, grace_period: float = 5.0) -> AmqpRuntime:
        runtime = AmqpRuntime(service, handler_specs_of(type(service)), grace_period=grace_period)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        await runtime.drain()
        await runtime.close()
    for runtime in made:
        if runtime.consumers and runtime._settings is not None and runtime._settings.port != UNREACHABLE_PORT:
            await delete_declared_queues(runtime)
    await close_publishers()
