"""``tomodachi run`` with AMQP consumers against the local RabbitMQ broker.

Each test uses its own routing key and queue name prefix, and deletes the queues it made.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import signal
import uuid
from collections.abc import AsyncIterator

import pytest
from tomodachi_process import Processes, TomodachiProcess

from tomodachi_envelope import JsonBase
from tomodachi_transport_amqp import amqp_publish, close_publishers
from tomodachi_transport_amqp._client import Settings, connect
from tomodachi_transport_amqp.testing import ServiceStub, broker_lock, rabbitmqctl

Names = dict[str, str]


@contextlib.asynccontextmanager
async def broker_names(*, exclusive: bool) -> AsyncIterator[Names]:
    """A routing key and queue name prefix of one test, holding the broker; queues deleted after."""
    token = uuid.uuid4().hex[:12]
    prefix = f"e2e-{token}-"
    async with broker_lock(exclusive=exclusive):
        yield {"AMQP_KEY": f"e2e.{token}", "AMQP_PREFIX": prefix}
        await close_publishers()
        listed = json.loads(await rabbitmqctl("list_queues", "-q", "--formatter", "json", "name"))
        connection = await connect(Settings())
        channel = await connection.channel()
        for queue in listed:
            if queue["name"].startswith(prefix):
                await channel.delete_queue(queue["name"])
        await connection.close()


@pytest.fixture
async def names() -> AsyncIterator[Names]:
    """Names of this test, which shares the broker with other tests."""
    async with broker_names(exclusive=False) as values:
        yield values


@pytest.fixture
async def names_alone() -> AsyncIterator[Names]:
    """Names of this test, which disrupts the broker: no other test uses it meanwhile."""
    async with broker_names(exclusive=True) as values:
        yield values


def publisher(names: dict[str, str]) -> ServiceStub:
    return ServiceStub({"queue_name_prefix": names["AMQP_PREFIX"]}, message_envelope=JsonBase)


async def publish_all(names: dict[str, str], messages: list[str]) -> None:
    sender = publisher(names)
    await asyncio.gather(*(amqp_publish(sender, m, routing_key=names["AMQP_KEY"]) for m in messages))


def handled(process: TomodachiProcess) -> list[str]:
    return re.findall(r"^handled (\S+) ", process.stdout, re.MULTILINE)


async def wait_handled(processes: list[TomodachiProcess], expected: set[str], within: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while {m for p in processes for m in handled(p)} != expected:
        if loop.time() > deadline:
            got = {m for p in processes for m in handled(p)}
            raise AssertionError(
                f"missing {sorted(expected - got)}\n" + "\n".join(p.stdout + p.stderr for p in processes)
            )
        await asyncio.sleep(0.05)


def start(processes: Processes, names: dict[str, str], **env: str) -> TomodachiProcess:
    process = processes.start("run", "--production", "amqp_worker.py", env={**names, **env})
    process.wait_for("started service successfully")
    return process


async def test_competing_services_share_the_messages(processes: Processes, names: Names) -> None:
    first = start(processes, names, AMQP_SLEEP="0.02")
    second = start(processes, names, AMQP_SLEEP="0.02")
    messages = [f"m{n}" for n in range(40)]
    await publish_all(names, messages)
    await wait_handled([first, second], set(messages))
    assert handled(first)
    assert handled(second)
    assert f"routing_key={names['AMQP_KEY']} seen=" in first.stdout
    for process in (first, second):
        process.send(signal.SIGTERM)
        assert process.wait() == 0


async def test_non_competing_services_each_get_every_message(
    processes: Processes, names: dict[str, str]
) -> None:
    first = start(processes, names, AMQP_COMPETING="0")
    second = start(processes, names, AMQP_COMPETING="0")
    messages = [f"m{n}" for n in range(5)]
    await publish_all(names, messages)
    await wait_handled([first], set(messages))
    await wait_handled([second], set(messages))
    for process in (first, second):
        process.send(signal.SIGTERM)
        assert process.wait() == 0


async def test_sigterm_lets_handlers_in_flight_finish_and_ack(
    processes: Processes, names: dict[str, str]
) -> None:
    worker = start(processes, names, AMQP_SLEEP="1")
    messages = ["a", "b", "c"]
    await publish_all(names, messages)
    worker.wait_for("started c")
    worker.send(signal.SIGTERM)
    assert worker.wait() == 0
    assert sorted(handled(worker)) == messages
    queue = names["AMQP_PREFIX"]
    listed = json.loads(await rabbitmqctl("list_queues", "-q", "--formatter", "json", "name", "messages"))
    assert all(q["messages"] == 0 for q in listed if q["name"].startswith(queue))


async def test_a_service_that_cannot_reach_the_broker_exits_with_code_1(
    processes: Processes, names: dict[str, str]
) -> None:
    process = processes.run("run", "--production", "amqp_worker.py", env={**names, "AMQP_PORT": "1"})
    assert process.process.returncode == 1
    assert "Unable to connect [amqp] to 127.0.0.1:1" in process.stderr + process.stdout


async def test_a_handler_publishes_and_another_service_receives(
    processes: Processes, names: dict[str, str]
) -> None:
    reply_names = {"AMQP_KEY": names["AMQP_KEY"] + ".reply", "AMQP_PREFIX": names["AMQP_PREFIX"]}
    forwarder = start(processes, names, AMQP_REPLY=reply_names["AMQP_KEY"])
    receiver = start(processes, reply_names)
    await publish_all(names, ["ping"])
    await wait_handled([receiver], {"ping"})
    for process in (forwarder, receiver):
        process.send(signal.SIGTERM)
        assert process.wait() == 0


async def test_nothing_is_lost_when_all_connections_are_closed_mid_stream(
    processes: Processes, names_alone: Names
) -> None:
    names = names_alone
    worker = start(processes, names, AMQP_SLEEP="0.01")
    sender = publisher(names)
    sent: list[str] = []

    async def stream() -> None:
        for n in range(300):
            message = f"m{n}"
            await amqp_publish(sender, message, routing_key=names["AMQP_KEY"], retry_for=60)
            sent.append(message)
            await asyncio.sleep(0.02)

    streaming = asyncio.create_task(stream())
    await asyncio.sleep(0.4)
    await rabbitmqctl("close_all_connections", "test of reconnects")
    assert not streaming.done()
    await asyncio.wait_for(streaming, 60)
    await wait_handled([worker], set(sent), within=60)
    worker.wait_for("reconnected to the broker and resumed consuming")
    worker.send(signal.SIGTERM)
    assert worker.wait() == 0


async def test_nothing_is_lost_when_the_broker_restarts_mid_stream(
    processes: Processes, names_alone: Names
) -> None:
    names = names_alone
    worker = start(processes, names, AMQP_SLEEP="0.01")
    sender = publisher(names)
    sent: list[str] = []

    async def stream() -> None:
        for n in range(200):
            message = f"m{n}"
            await amqp_publish(sender, message, routing_key=names["AMQP_KEY"], retry_for=60)
            sent.append(message)
            await asyncio.sleep(0.01)

    streaming = asyncio.create_task(stream())
    await asyncio.sleep(0.5)
    try:
        await rabbitmqctl("stop_app")
        await asyncio.sleep(1)
    finally:
        await rabbitmqctl("start_app")
    await asyncio.wait_for(streaming, 90)
    await wait_handled([worker], set(sent), within=60)
    worker.wait_for("reconnected to the broker and resumed consuming")
    worker.send(signal.SIGTERM)
    assert worker.wait() == 0


async def test_a_handler_failing_on_every_third_call_handles_every_message_in_the_end(
    processes: Processes, names: Names
) -> None:
    worker = start(processes, names, AMQP_FAIL_EVERY="3")
    messages = [f"m{n}" for n in range(30)]
    await publish_all(names, messages)
    await wait_handled([worker], set(messages))
    worker.send(signal.SIGTERM)
    assert worker.wait() == 0
    assert worker.stderr.count("uncaught exception: failing call") >= 10
