"""Helpers for testing services and scripts that use this transport against a real broker.

``ServiceStub`` is the least a runtime or ``amqp_publish`` needs of a service; ``handler_specs_of``
collects the AMQP handler specs of a class; ``delete_declared_queues`` removes what a runtime
declared; ``wait_until`` polls a condition; ``rabbitmqctl`` and ``close_connections_named`` drive
the local broker; ``broker_lock`` keeps test runs on one machine from disrupting each other.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

from tomodachi_middleware import handler_specs
from tomodachi_transport_amqp._options import AMQPOptions
from tomodachi_transport_amqp._spec import AmqpHandlerSpec


class _OptionsStub:
    __slots__ = ("amqp",)

    def __init__(self, amqp: AMQPOptions) -> None:
        self.amqp = amqp


class ServiceStub:
    """A stand-in service: ``options.amqp``, ``name``, ``uuid``, ``message_middleware``.

    Subclass it and decorate methods with ``amqp`` to get a service-shaped object without the
    framework.

    Args:
        amqp: The ``amqp`` options section, or a mapping of its keys.
        **attributes: Other attributes to set (``message_envelope=JsonBase``, ...).
    """

    def __init__(self, amqp: AMQPOptions | dict[str, Any] | None = None, **attributes: Any) -> None:
        self.name = "service"
        self.uuid = str(uuid.uuid4())
        section = amqp if isinstance(amqp, AMQPOptions) else AMQPOptions(**(amqp or {}))
        self.options = _OptionsStub(section)
        self.message_middleware: list[Any] = []
        for name, value in attributes.items():
            setattr(self, name, value)


def handler_specs_of(cls: type) -> list[AmqpHandlerSpec]:
    """Return the AMQP handler specs recorded on ``cls``'s methods, in definition order."""
    found: list[AmqpHandlerSpec] = []
    for value in vars(cls).values():
        found.extend(spec for spec in handler_specs(value) if isinstance(spec, AmqpHandlerSpec))
    return found


async def delete_declared_queues(runtime: Any) -> None:
    """Delete each queue ``runtime`` declared (handler, retry and dead-letter queues).

    Args:
        runtime: A started ``AmqpRuntime``.

    Raises:
        AmqpConnectionException: the broker cannot be reached.
    """
    from tomodachi_transport_amqp._client import connect

    assert runtime._settings is not None, "the runtime was never started"
    connection = await connect(runtime._settings)
    try:
        channel = await connection.channel()
        for consumer in runtime.consumers:
            for name in (consumer.queue, consumer.dead_letter_queue, *consumer.retry_queues.values()):
                await channel.delete_queue(name)
    finally:
        await connection.close()


async def wait_until(check: Callable[[], bool], within: float = 10.0, interval: float = 0.02) -> None:
    """Wait until ``check()`` is true.

    Args:
        check: The condition.
        within: Seconds before giving up.
        interval: Seconds between checks.

    Raises:
        TimeoutError: the condition did not become true in time.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not check():
        if loop.time() > deadline:
            raise TimeoutError(f"condition not met within {within}s")
        await asyncio.sleep(interval)


async def rabbitmqctl(*args: str, within: float = 60.0) -> str:
    """Run ``rabbitmqctl`` with ``args`` on the local broker and return its output.

    Args:
        *args: The command and its arguments (``"close_all_connections", "test"``).
        within: Seconds before giving up.

    Returns:
        What it printed on stdout.

    Raises:
        RuntimeError: it exited with an error.
        TimeoutError: it did not finish in time.
    """
    process = await asyncio.create_subprocess_exec(
        "rabbitmqctl", *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), within)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise
    if process.returncode:
        raise RuntimeError(f"rabbitmqctl {' '.join(args)} failed: {stderr.decode(errors='replace')}")
    return stdout.decode()


BROKER_LOCK_PATH = os.path.join(tempfile.gettempdir(), "tomodachi-amqp-broker-tests.lock")


@contextlib.asynccontextmanager
async def broker_lock(*, exclusive: bool = False, within: float = 300.0) -> AsyncIterator[None]:
    """Hold the local broker for a test, across processes.

    Tests that only use the broker hold it shared; a test that disrupts it (closes every
    connection, restarts it) holds it exclusively, so that test runs started side by side on one
    machine do not break each other.

    Args:
        exclusive: Hold it alone.
        within: Seconds to wait for it.

    Raises:
        TimeoutError: the lock was not free in time.
    """
    descriptor = os.open(BROKER_LOCK_PATH, os.O_CREAT | os.O_RDWR, 0o666)
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            try:
                fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if loop.time() > deadline:
                    raise TimeoutError(
                        f"the broker lock {BROKER_LOCK_PATH} was not free within {within}s"
                    ) from None
                await asyncio.sleep(0.1)
        yield
    finally:
        os.close(descriptor)  # releases the lock


async def close_connections_named(name: str) -> int:
    """Close the broker's connections whose name starts with ``name``; return how many.

    Args:
        name: The start of the connection names (``AmqpRuntime.connection_name``).

    Returns:
        The number of connections closed.
    """
    listed = await rabbitmqctl("list_connections", "-q", "pid", "client_properties")
    closed = 0
    for line in listed.splitlines():
        pid, _, properties = line.partition("\t")
        if f'{{"connection_name","{name}'.replace('"', "") in properties.replace('"', "").replace("<<", ""):
            await rabbitmqctl("close_connection", pid, "closed by a test")
            closed += 1
    return closed
