from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_transport_amqp import (
    ATTEMPTS_HEADER,
    ERROR_HEADER,
    AmqpInternalServiceError,
    RetryPolicy,
    amqp,
    amqp_publish,
)
from tomodachi_transport_amqp._client import Connection, Delivery, Settings, connect
from tomodachi_transport_amqp.testing import ServiceStub, wait_until

FAST = RetryPolicy(attempts=4, delay=0.1, factor=2.0, max_delay=1.0)


@pytest.fixture
async def reader() -> AsyncIterator[Connection]:
    connection = await connect(Settings())
    yield connection
    await connection.close()


async def collect(connection: Connection, queue: str) -> list[Delivery]:
    """Consumes ``queue`` (acking) into the returned list, as messages arrive."""
    channel = await connection.channel()
    got: list[Delivery] = []

    async def on_delivery(delivery: Delivery) -> None:
        got.append(delivery)
        await channel.ack(delivery.delivery_tag)

    await channel.consume(queue, on_delivery)
    return got


async def started(runtime: Any) -> Any:
    await runtime.start()
    await runtime.consume()
    return runtime


async def test_a_handler_failing_on_every_third_call_loses_no_message(
    prefix: str, key: str, runtimes: Any, reader: Connection
) -> None:
    handled: set[str] = set()
    calls = 0

    class Service(ServiceStub):
        @amqp(key, retry_policy=FAST)
        async def handler(self, data: str) -> None:
            nonlocal calls
            calls += 1
            if calls % 3 == 0:
                raise ValueError(f"failing call {calls}")
            handled.add(data)

    service = Service({"queue_name_prefix": prefix}, message_envelope=JsonBase)
    runtime = await started(runtimes(service))
    dead = await collect(reader, runtime.consumers[0].dead_letter_queue)
    sent = {f"m{n}" for n in range(30)}
    await asyncio.gather(*(amqp_publish(service, m, routing_key=key) for m in sorted(sent)))

    def dead_data() -> set[str]:
        return {JsonBase.parse_message(d.body.decode()).data for d in dead}

    await wait_until(lambda: handled | dead_data() == sent, within=20)
    assert calls > 30  # some came back


async def test_delays_grow_and_the_last_attempt_goes_to_the_dead_letter_queue_with_the_error(
    prefix: str, key: str, runtimes: Any, reader: Connection
) -> None:
    attempts: list[float] = []

    class Service(ServiceStub):
        @amqp(key, retry_policy=RetryPolicy(attempts=4, delay=0.2, factor=2.0))
        async def handler(self, message: str) -> None:
            attempts.append(time.monotonic())
            raise ValueError("cannot handle this")

    service = Service({"queue_name_prefix": prefix})
    runtime = await started(runtimes(service))
    dead = await collect(reader, runtime.consumers[0].dead_letter_queue)
    await amqp_publish(service, "doomed", routing_key=key)
    await wait_until(lambda: len(dead) == 1, within=15)
    assert len(attempts) == 4
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.2
    assert gaps[1] >= 0.4
    assert gaps[2] >= 0.8
    assert gaps[0] < gaps[1] < gaps[2]
    (delivery,) = dead
    assert delivery.body == b"doomed"
    headers = delivery.properties.headers
    assert headers[ATTEMPTS_HEADER] == 4
    assert headers[ERROR_HEADER] == "ValueError: cannot handle this"
    assert headers["tomodachi-original-routing-key"] == key
    assert delivery.properties.delivery_mode == 2


async def test_an_unparseable_message_goes_straight_to_the_dead_letter_queue_with_an_error_line(
    prefix: str, key: str, runtimes: Any, reader: Connection, caplog: pytest.LogCaptureFixture
) -> None:
    calls = 0

    class Service(ServiceStub):
        @amqp(key, retry_policy=FAST)
        async def handler(self, data: Any) -> None:
            nonlocal calls
            calls += 1

    service = Service({"queue_name_prefix": prefix}, message_envelope=JsonBase)
    runtime = await started(runtimes(service))
    dead = await collect(reader, runtime.consumers[0].dead_letter_queue)
    with caplog.at_level(logging.ERROR, logger="tomodachi.amqp"):
        await amqp_publish(service, "{not json", routing_key=key, message_envelope=None)
        await amqp_publish(service, b"\xff\xfe", routing_key=key, message_envelope=None)
        await wait_until(lambda: len(dead) == 2)
    assert calls == 0
    assert sorted(d.body for d in dead) == [b"{not json", b"\xff\xfe"]
    assert all(d.properties.headers[ATTEMPTS_HEADER] == 1 for d in dead)
    lines = [r for r in caplog.records if r.message == "unparseable message moved to the dead-letter queue"]
    assert len(lines) == 2
    assert lines[0].levelno == logging.ERROR
    assert lines[0].dead_letter_queue == runtime.consumers[0].dead_letter_queue  # type: ignore[attr-defined]


async def test_the_internal_service_error_of_0_29_has_the_message_handled_again(
    prefix: str, key: str, runtimes: Any
) -> None:
    calls: list[str] = []

    class Service(ServiceStub):
        @amqp(key, retry_policy=FAST)
        async def handler(self, message: str) -> None:
            calls.append(message)
            if len(calls) < 3:
                raise AmqpInternalServiceError("try again")

    service = Service({"queue_name_prefix": prefix})
    await started(runtimes(service))
    await amqp_publish(service, "again", routing_key=key)
    await wait_until(lambda: len(calls) == 3)
    await asyncio.sleep(0.3)
    assert calls == ["again"] * 3


async def test_a_handler_error_is_logged_as_an_uncaught_exception(
    prefix: str, key: str, runtimes: Any, caplog: pytest.LogCaptureFixture
) -> None:
    class Service(ServiceStub):
        @amqp(key, retry_policy=RetryPolicy(attempts=1))
        async def handler(self, message: str) -> None:
            raise KeyError("missing")

    service = Service({"queue_name_prefix": prefix})
    await started(runtimes(service))
    with caplog.at_level(logging.ERROR, logger="exception"):
        await amqp_publish(service, "x", routing_key=key)
        await wait_until(lambda: any(r.name == "exception" for r in caplog.records))
    record = next(r for r in caplog.records if r.name == "exception")
    assert record.getMessage() == "uncaught exception: 'missing'"
    assert record.exc_info is not None
