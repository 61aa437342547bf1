from __future__ import annotations

from typing import Any

from tomodachi_envelope import JsonBase
from tomodachi_transport_amqp import amqp, amqp_publish
from tomodachi_transport_amqp.testing import ServiceStub, wait_until


async def test_a_published_message_reaches_the_handler_with_its_keywords(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[dict[str, Any]] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, data: Any, routing_key: str, exchange_name: str, message_uuid: str) -> None:
            received.append({"data": data, "rk": routing_key, "exchange": exchange_name, "id": message_uuid})

    service = Service({"queue_name_prefix": prefix}, message_envelope=JsonBase)
    runtime = runtimes(service)
    await runtime.start()
    await runtime.consume()
    await amqp_publish(service, {"n": 1}, routing_key=key)
    await wait_until(lambda: len(received) == 1)
    assert received[0]["data"] == {"n": 1}
    assert received[0]["rk"] == key
    assert received[0]["exchange"] == "amq.topic"
    assert received[0]["id"].startswith(service.uuid)
