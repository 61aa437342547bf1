from __future__ import annotations

import asyncio
import logging
import os
import ssl
import time
from typing import Any

import pytest

from tomodachi_transport_amqp import (
    AmqpChannelClosed,
    AmqpConnectionException,
    AmqpPublishError,
    amqp,
    amqp_publish,
    close_publishers,
)
from tomodachi_transport_amqp._client import connect
from tomodachi_transport_amqp._values import Settings
from tomodachi_transport_amqp.testing import ServiceStub, close_connections_named, rabbitmqctl, wait_until


async def test_consumers_reconnect_and_resume_after_their_connections_are_closed(
    prefix: str, key: str, runtimes: Any, caplog: pytest.LogCaptureFixture
) -> None:
    handled: set[str] = set()

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            handled.add(message)

    service = Service({"queue_name_prefix": prefix})
    runtime = runtimes(service)
    await runtime.start()
    await runtime.consume()
    await asyncio.gather(*(amqp_publish(service, f"before-{n}", routing_key=key) for n in range(20)))
    with caplog.at_level(logging.INFO, logger="tomodachi.amqp"):
        assert await close_connections_named(runtime.connection_name) == 1
        assert await close_connections_named(f"tomodachi publisher pid={os.getpid()}") == 1
        await asyncio.gather(*(amqp_publish(service, f"after-{n}", routing_key=key) for n in range(20)))
        await wait_until(lambda: len(handled) == 40, within=20)
    messages = [r.getMessage() for r in caplog.records]
    assert "lost the connection to the broker, reconnecting" in messages
    assert "reconnected to the broker and resumed consuming" in messages


async def test_publish_waits_while_the_broker_is_away_then_raises_a_clear_error() -> None:
    service = ServiceStub({"port": 1})  # nothing listens there
    started = time.monotonic()
    with pytest.raises(
        AmqpPublishError, match=r"could not publish .* on amqp://127\.0\.0\.1:1/ after \d+ attempts"
    ):
        await amqp_publish(service, "lost?", routing_key="anything", retry_for=0.8)
    assert 0.5 <= time.monotonic() - started < 5
    assert issubclass(AmqpPublishError, AmqpConnectionException)


async def test_start_fails_when_the_broker_cannot_be_reached(key: str, runtimes: Any) -> None:
    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            pass

    with pytest.raises(AmqpConnectionException, match=r"connecting to amqp://127\.0\.0\.1:1/"):
        await runtimes(Service({"port": 1})).start()


async def test_drain_and_close_are_safe_when_start_never_ran(key: str, runtimes: Any) -> None:
    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            pass

    runtime = runtimes(Service())
    await runtime.drain()
    await runtime.close()


async def test_a_virtual_host_is_used_for_consuming_and_publishing(key: str, runtimes: Any) -> None:
    vhost = f"test-{key}"
    await rabbitmqctl("add_vhost", vhost)
    try:
        await rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        received: list[str] = []

        class Service(ServiceStub):
            @amqp(key)
            async def handler(self, message: str) -> None:
                received.append(message)

        service = Service({"virtualhost": vhost})
        runtime = runtimes(service)
        await runtime.start()
        await runtime.consume()
        await amqp_publish(ServiceStub(), "elsewhere", routing_key=key)  # the default vhost: not received
        await amqp_publish(service, "here", routing_key=key)
        await wait_until(lambda: received == ["here"])
        listed = await rabbitmqctl("list_queues", "-q", "-p", vhost, "name")
        assert runtime.consumers[0].queue in listed
        await runtime.drain()
        await runtime.close()
        runtime.consumers = []  # deleting the virtual host deletes its queues
    finally:
        await rabbitmqctl("delete_vhost", vhost)


async def test_tls_to_a_port_without_tls_fails_with_a_connection_error(key: str) -> None:
    service = ServiceStub({"ssl": True})
    with pytest.raises(AmqpPublishError):
        await amqp_publish(service, "x", routing_key=key, retry_for=0.3)


async def test_publishing_to_an_exchange_that_does_not_exist_is_refused_at_once(key: str) -> None:
    started = time.monotonic()
    with pytest.raises(AmqpChannelClosed, match="404") as refused:
        await amqp_publish(ServiceStub(), "x", routing_key=key, exchange_name=f"missing-{key}", retry_for=20)
    assert refused.value.reply_code == 404
    assert time.monotonic() - started < 5
    await amqp_publish(ServiceStub(), "x", routing_key=key)  # the publisher recovers
    await close_publishers()


async def test_a_queue_deleted_while_consuming_is_declared_again_and_consumed(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[str] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            received.append(message)

    service = Service({"queue_name_prefix": prefix})
    runtime = runtimes(service)
    await runtime.start()
    await runtime.consume()
    await rabbitmqctl("delete_queue", runtime.consumers[0].queue)
    await wait_until(lambda: runtime.reconnects == 1, within=20)
    await amqp_publish(service, "after", routing_key=key)
    await wait_until(lambda: received == ["after"], within=20)


async def _tls_proxy(tmp: Any) -> tuple[asyncio.Server, ssl.SSLContext]:
    """A TLS listener on a free loopback port that forwards to the broker's plain port."""
    cert, key_file = tmp / "cert.pem", tmp / "key.pem"
    generate = await asyncio.create_subprocess_exec(
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key_file), "-out", str(cert),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert await generate.wait() == 0
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key_file)
    client_context = ssl.create_default_context(cafile=str(cert))

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        finally:
            writer.close()

    async def forward(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        broker_reader, broker_writer = await asyncio.open_connection("127.0.0.1", 5672)
        await asyncio.gather(pipe(client_reader, broker_writer), pipe(broker_reader, client_writer))

    server = await asyncio.start_server(forward, "127.0.0.1", 0, ssl=server_context)
    return server, client_context


async def test_tls_with_an_ssl_context_reaches_the_broker(
    key: str, prefix: str, runtimes: Any, tmp_path: Any
) -> None:
    server, context = await _tls_proxy(tmp_path)
    port = server.sockets[0].getsockname()[1]
    received: list[str] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            received.append(message)

    service = Service({"queue_name_prefix": prefix, "port": port, "ssl": context})
    runtime = runtimes(service)
    try:
        await runtime.start()
        await runtime.consume()
        await amqp_publish(service, "over tls", routing_key=key)
        await wait_until(lambda: received == ["over tls"])
        await runtime.drain()
        await runtime.close()
        await close_publishers()
        runtime._settings = Settings()  # the fixture deletes the queues over the plain port
    finally:
        server.close()
        await server.wait_closed()


async def test_a_wrong_password_fails_the_start_with_a_connection_error(key: str, runtimes: Any) -> None:
    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            pass

    runtime = runtimes(Service({"password": "wrong"}))
    with pytest.raises(AmqpConnectionException, match=r"connecting to amqp://127\.0\.0\.1:5672/"):
        await runtime.start()
    runtime.consumers = []


async def test_the_exchange_option_declares_a_durable_topic_exchange(
    prefix: str, key: str, runtimes: Any
) -> None:
    exchange = f"test-exchange-{key}"
    received: list[str] = []

    class Service(ServiceStub):
        @amqp(f"{key}.*")
        async def handler(self, message: str) -> None:
            received.append(message)

    service = Service({"queue_name_prefix": prefix, "exchange_name": exchange})
    runtime = runtimes(service)
    try:
        await runtime.start()
        await runtime.consume()
        await amqp_publish(service, "on the exchange", routing_key=f"{key}.a")
        await amqp_publish(ServiceStub(), "on amq.topic", routing_key=f"{key}.a")
        await wait_until(lambda: received == ["on the exchange"])
        listed = await rabbitmqctl("list_exchanges", "-q", "name", "type", "durable", "auto_delete")
        assert f"{exchange}\ttopic\ttrue\tfalse" in listed
    finally:
        await runtime.drain()
        await runtime.close()
        connection = await connect(Settings())
        channel = await connection.channel()
        await channel.delete_exchange(exchange)
        await connection.close()


async def test_an_exchange_named_amq_is_refused_by_the_broker(key: str, runtimes: Any) -> None:
    class Service(ServiceStub):
        @amqp(key, exchange_name="amq.reserved-name")
        async def handler(self, message: str) -> None:
            pass

    runtime = runtimes(Service())
    with pytest.raises(AmqpChannelClosed, match="403") as refused:
        await runtime.start()
    assert refused.value.reply_code == 403
    runtime.consumers = []


async def test_the_heartbeat_option_is_negotiated_with_the_broker(
    key: str, prefix: str, runtimes: Any
) -> None:
    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            pass

    runtime = runtimes(Service({"queue_name_prefix": prefix, "heartbeat": 17}))
    await runtime.start()
    listed = await rabbitmqctl("list_connections", "-q", "timeout", "client_properties")
    ours = [line for line in listed.splitlines() if runtime.connection_name in line]
    assert ours
    assert all(line.split("\t")[0] == "17" for line in ours)
