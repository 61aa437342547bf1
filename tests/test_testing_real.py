"""The same helpers against real brokers: a moto server for SNS+SQS and the local RabbitMQ."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import tomodachi
from tomodachi.testing import RealBrokers, ServiceUnderTest
from tomodachi.testing._real import amqp_settings
from tomodachi_envelope import JsonBase
from tomodachi_transport_amqp import RetryPolicy

pytestmark = pytest.mark.tomodachi_brokers("real")

StartService = Callable[..., Awaitable[ServiceUnderTest]]


class Billing(tomodachi.Service):
    name = "billing"
    message_envelope = JsonBase

    def __init__(self) -> None:
        self.received: list[Any] = []

    @tomodachi.aws_sns_sqs("invoice-sent", queue_name="invoices")
    async def on_invoice(self, data: Any) -> None:
        self.received.append(("sns", data))

    @tomodachi.aws_sns_sqs(
        "refund-due", queue_name="refunds", dead_letter_queue_name="refunds-dlq", max_receive_count=1
    )
    async def on_refund(self, data: Any) -> None:
        raise RuntimeError("bank offline")

    @tomodachi.amqp("ledger.entry", queue_name="ledger")
    async def on_entry(self, data: Any) -> None:
        self.received.append(("amqp", data))

    @tomodachi.amqp("ledger.broken", queue_name="broken", retry_policy=RetryPolicy(attempts=1))
    async def on_broken(self, data: Any) -> None:
        raise RuntimeError("ledger locked")


def prefixes() -> dict[str, str]:
    unique = uuid.uuid4().hex[:8]
    return {
        "aws_sns_sqs.topic_prefix": f"real-{unique}-",
        "aws_sns_sqs.queue_name_prefix": f"real-{unique}-",
        "amqp.routing_key_prefix": f"real{unique}.",
        "amqp.queue_name_prefix": f"real-{unique}-",
    }


async def eventually(check: Callable[[], Awaitable[list[Any]]], within: float = 20.0) -> list[Any]:
    deadline = time.monotonic() + within
    while True:
        found = await check()
        if found or time.monotonic() > deadline:
            return found
        await asyncio.sleep(0.2)


async def test_raw_sns_and_sqs_messages_reach_the_handler_through_moto(
    tomodachi_service: StartService, tomodachi_broker: RealBrokers
) -> None:
    service = await tomodachi_service(Billing, options=prefixes())
    payload = JsonBase.build_message(service.instance, "invoice-sent", {"n": 1})
    await tomodachi_broker.sns_publish_raw("invoice-sent", payload)
    await service.wait_for_handled(Billing.on_invoice, within=30)
    body = {"Type": "Message", "Message": JsonBase.build_message(service.instance, "", {"n": 2})}
    await tomodachi_broker.sqs_send_raw("invoices", json.dumps(body))
    await service.wait_for_handled(Billing.on_invoice, count=2, within=30)
    assert sorted(data["n"] for _, data in service.instance.received) == [1, 2]


async def test_a_raw_amqp_message_reaches_the_handler_through_rabbitmq(
    tomodachi_service: StartService, tomodachi_broker: RealBrokers
) -> None:
    service = await tomodachi_service(Billing, options=prefixes())
    await tomodachi_broker.amqp_publish_raw(
        "ledger.entry", JsonBase.build_message(service.instance, "", {"n": 3})
    )
    await service.wait_for_handled(Billing.on_entry, within=15)
    assert service.instance.received == [("amqp", {"n": 3})]


async def test_dead_letters_are_read_through_the_real_clients_and_left_in_place(
    tomodachi_service: StartService, tomodachi_broker: RealBrokers
) -> None:
    service = await tomodachi_service(Billing, options=prefixes())
    await tomodachi.aws_sns_sqs_publish(service.instance, {"refund": 9}, topic="refund-due")
    await tomodachi.amqp_publish(service.instance, {"entry": 10}, routing_key="ledger.broken")
    await service.wait_for_failed(Billing.on_refund, within=30)
    await service.wait_for_failed(Billing.on_broken, within=15)
    assert await eventually(lambda: tomodachi_broker.sqs_dead_letter_data("refunds")) == [{"refund": 9}]
    assert await eventually(lambda: tomodachi_broker.amqp_dead_letter_data("broken")) == [{"entry": 10}]
    assert len(await tomodachi_broker.amqp_dead_letters("broken")) == 1
    assert len(await tomodachi_broker.sqs_dead_letters("refunds")) == 1


async def test_the_real_clock_advances_by_sleeping(tomodachi_broker: RealBrokers) -> None:
    before = time.monotonic()
    await tomodachi_broker.advance(0.05)
    assert time.monotonic() - before >= 0.05
    assert abs(tomodachi_broker.clock.time() - time.time()) < 1


def test_the_services_get_options_pointing_at_the_servers(tomodachi_broker: RealBrokers) -> None:
    options = tomodachi_broker.service_options()
    assert options["aws_endpoint_urls.sqs"] == tomodachi_broker.sns_sqs_endpoint
    assert options["amqp.port"] == 5672


def test_an_amqp_url_gives_the_connection_options() -> None:
    assert amqp_settings("amqp://ada:s%40cret@broker:5673/%2Fprod") == {
        "host": "broker",
        "port": 5673,
        "login": "ada",
        "password": "s@cret",
        "virtualhost": "/prod",
    }
    with pytest.raises(ValueError, match="not an amqp:// URL"):
        amqp_settings("http://broker")


def test_what_only_memory_keeps_is_refused_with_the_way_out(tomodachi_broker: RealBrokers) -> None:
    with pytest.raises(NotImplementedError, match="tomodachi_brokers"):
        tomodachi_broker.sns_published("order-created")
    with pytest.raises(NotImplementedError, match="keeps no record"):
        tomodachi_broker.amqp_published_data("order.created")


async def test_each_test_gets_names_of_its_own_in_front_of_the_services_prefixes(
    tomodachi_service: StartService, tomodachi_broker: RealBrokers
) -> None:
    assert tomodachi_broker.name_prefix is not None
    service = await tomodachi_service(Billing, options={"aws_sns_sqs.topic_prefix": "own-"})
    options = service.instance.options
    assert options.aws_sns_sqs.topic_prefix == f"{tomodachi_broker.name_prefix}own-"
    assert options.amqp.queue_name_prefix == tomodachi_broker.name_prefix
    assert tomodachi_broker.sns_topic("invoice-sent") == f"{tomodachi_broker.name_prefix}own-invoice-sent"


async def test_a_test_that_settles_runs_on_real_brokers_too(
    tomodachi_service: StartService, tomodachi_broker: RealBrokers
) -> None:
    service = await tomodachi_service(Billing)
    await tomodachi.aws_sns_sqs_publish(service.instance, {"n": 4}, topic="invoice-sent")
    await service.wait_for_handled(Billing.on_invoice, within=30)
    await tomodachi_broker.settle()
    assert service.instance.received == [("sns", {"n": 4})]
