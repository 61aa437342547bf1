"""Tests of examples/orders_service.py with the tomodachi pytest plugin.

.venv/bin/python -m pytest examples/tests                               # in memory
.venv/bin/python -m pytest examples/tests --tomodachi-brokers=real      # moto server and RabbitMQ
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from tomodachi.testing import InMemoryBroker, RealBrokers, ServiceUnderTest

SERVICE = str(Path(__file__).parent.parent / "orders_service.py")

StartService = Callable[..., Awaitable[ServiceUnderTest]]


async def place(service: ServiceUnderTest, item: str) -> dict[str, Any]:
    response = await service.http.post("/orders", json={"item": item})
    assert response.status == 201
    order: dict[str, Any] = await response.json()
    return order


async def test_a_placed_order_is_reserved_then_confirmed(tomodachi_service: StartService) -> None:
    service = await tomodachi_service(SERVICE)
    order = await place(service, "book")

    await service.wait_for_handled("reserve_stock")
    await service.wait_for_handled("confirm")

    response = await service.http.get(f"/orders/{order['id']}")
    assert (await response.json())["state"] == "confirmed"


async def test_placing_an_order_publishes_it_on_the_topic(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker | RealBrokers
) -> None:
    service = await tomodachi_service(SERVICE)
    order = await place(service, "lamp")
    await service.wait_for_handled("confirm")

    if isinstance(tomodachi_broker, InMemoryBroker):  # a real broker keeps no record of what was published
        assert [data["id"] for data in tomodachi_broker.sns_published_data("order-placed")] == [order["id"]]
        assert tomodachi_broker.amqp_published_data("order.reserved") == [{"id": order["id"]}]


async def test_an_order_without_an_item_is_refused(tomodachi_service: StartService) -> None:
    service = await tomodachi_service(SERVICE)
    response = await service.http.post("/orders", json={"what": "book"})
    assert response.status == 400
    assert await response.json() == {"error": "an order needs an item"}


@pytest.mark.tomodachi_brokers("memory")  # the retries wait out visibility timeouts: instant on a fake clock
async def test_an_order_that_keeps_failing_ends_in_the_dead_letter_queue(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker | RealBrokers
) -> None:
    service = await tomodachi_service(SERVICE)
    order = await place(service, "unobtainium")

    for attempt in range(1, 4):
        await service.wait_for_failed("reserve_stock", count=attempt)
        await tomodachi_broker.advance(60)

    assert isinstance(tomodachi_broker, InMemoryBroker)
    dead = await tomodachi_broker.sqs_dead_letter_data("orders-reserve-stock")
    assert [data["id"] for data in dead] == [order["id"]]
    assert service.handled("reserve_stock") == 0
    assert service.logs.find("out of stock")


async def test_confirmed_orders_are_forgotten_after_ten_minutes(tomodachi_service: StartService) -> None:
    service = await tomodachi_service(SERVICE)
    order = await place(service, "chair")
    await service.wait_for_handled("confirm")
    service.instance.orders[order["id"]]["at"] -= 601

    await service.trigger("forget_old_orders")

    response = await service.http.get(f"/orders/{order['id']}")
    assert response.status == 404
