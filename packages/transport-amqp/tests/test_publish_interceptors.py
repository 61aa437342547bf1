from __future__ import annotations

from typing import Any

from tomodachi_envelope import JsonBase
from tomodachi_middleware import Publication, intercept_publish
from tomodachi_transport_amqp import amqp, amqp_publish
from tomodachi_transport_amqp.testing import ServiceStub, wait_until


async def test_an_interceptor_puts_headers_on_the_published_message(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[Any] = []
    seen: list[Publication] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, data: Any, properties: Any) -> None:
            received.append(properties)

    async def interceptor(publication: Publication, send: Any) -> Any:
        publication.carrier["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        seen.append(publication)
        return await send()

    service = Service({"queue_name_prefix": prefix}, message_envelope=JsonBase)
    runtime = runtimes(service)
    await runtime.start()
    await runtime.consume()
    remove = intercept_publish(interceptor)
    try:
        await amqp_publish(service, {"n": 1}, routing_key=key)
    finally:
        remove()
    await wait_until(lambda: len(received) == 1)
    assert received[0].headers["traceparent"].startswith("00-0af7651916cd43dd")
    assert received[0].delivery_mode == 2
    [publication] = seen
    assert (publication.operation, publication.destination) == ("amqp.publish", key)
    assert publication.details["exchange_name"] == "amq.topic"


async def test_without_interceptors_no_headers_are_sent(prefix: str, key: str, runtimes: Any) -> None:
    received: list[Any] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, data: Any, properties: Any) -> None:
            received.append(properties)

    service = Service({"queue_name_prefix": prefix}, message_envelope=JsonBase)
    runtime = runtimes(service)
    await runtime.start()
    await runtime.consume()
    await amqp_publish(service, {"n": 1}, routing_key=key)
    await wait_until(lambda: len(received) == 1)
    assert not received[0].headers
