"""Services under test on the in-memory broker, end to end: no RabbitMQ, no AWS, no waiting on time."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import tomodachi
from tomodachi.testing import InMemoryBroker, ServiceUnderTest, run_service
from tomodachi_envelope import JsonBase
from tomodachi_scheduler import SCHEDULE_TRANSPORT
from tomodachi_transport_amqp import RetryPolicy

StartService = Callable[..., Awaitable[ServiceUnderTest]]


class Orders(tomodachi.Service):
    name = "orders"
    message_envelope = JsonBase
    options = tomodachi.Options(
        aws_sns_sqs=tomodachi.Options.AWSSNSSQS(topic_prefix="test-", queue_name_prefix="test-"),
        amqp=tomodachi.Options.AMQP(routing_key_prefix="test.", queue_name_prefix="test-"),
    )

    def __init__(self) -> None:
        self.orders: list[Any] = []
        self.tasks: list[Any] = []
        self.reports = 0

    @tomodachi.aws_sns_sqs("order-created", queue_name="orders")
    async def on_order(self, data: Any) -> None:
        self.orders.append(data)
        tomodachi.get_logger().info("order accepted", order_id=data["id"])
        await tomodachi.aws_sns_sqs_publish(
            self, {"id": data["id"], "state": "accepted"}, topic="order-accepted"
        )

    @tomodachi.aws_sns_sqs(queue_name="tasks")
    async def on_task(self, data: Any) -> None:
        self.tasks.append(data)

    @tomodachi.amqp("stock.reserved", queue_name="stock")
    async def on_stock(self, data: Any) -> None:
        await tomodachi.amqp_publish(self, {"reserved": data["sku"]}, routing_key="stock.confirmed")

    @tomodachi.schedule(interval=300)
    async def report(self) -> None:
        self.reports += 1

    @tomodachi.http("GET", r"/orders")
    async def list_orders(self, request: Any) -> str:
        return json.dumps(self.orders)

    @tomodachi.websocket(r"/live")
    async def live(self, websocket: Any) -> Any:
        async def receive(data: str) -> None:
            await websocket.send_str(f"{len(self.orders)} orders")

        return receive

    @tomodachi.http("POST", r"/shutdown")
    async def shutdown(self, request: Any) -> str:
        tomodachi.exit(4)
        return "stopping"


async def test_an_sns_message_reaches_its_handler_and_the_reply_is_published(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Orders)
    await tomodachi.aws_sns_sqs_publish(service.instance, {"id": 1}, topic="order-created")
    await service.wait_for_handled(Orders.on_order)
    assert service.instance.orders == [{"id": 1}]
    assert tomodachi_broker.sns_published_data("order-accepted") == [{"id": 1, "state": "accepted"}]
    assert tomodachi_broker.sns_published("order-accepted")[0].topic == "test-order-accepted"
    assert service.logs.first("order accepted").fields["order_id"] == 1


async def test_a_raw_sns_message_from_another_program_reaches_the_handler(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Orders)
    payload = JsonBase.build_message(service.instance, "test-order-created", {"id": 2})
    await tomodachi_broker.sns_publish_raw("order-created", payload)
    await service.wait_for_handled("on_order")
    assert service.instance.orders == [{"id": 2}]


async def test_an_sqs_message_sent_to_the_queue_reaches_its_handler(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Orders)
    await tomodachi.sqs_send_message(service.instance, {"task": "pack"}, queue_name="tasks")
    await service.wait_for_handled(Orders.on_task)
    assert service.instance.tasks == [{"task": "pack"}]
    await tomodachi_broker.settle()
    assert tomodachi_broker.sqs_messages("tasks") == []


async def test_an_amqp_message_reaches_its_handler_and_the_reply_is_published(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Orders)
    await tomodachi.amqp_publish(service.instance, {"sku": "A-1"}, routing_key="stock.reserved")
    await service.wait_for_handled(Orders.on_stock)
    assert tomodachi_broker.amqp_published_data("stock.confirmed") == [{"reserved": "A-1"}]
    assert tomodachi_broker.amqp_published("stock.confirmed")[0].routing_key == "test.stock.confirmed"


async def test_a_scheduled_handler_runs_when_the_clock_is_advanced_or_when_triggered(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Orders)
    await tomodachi_broker.advance(299)
    assert service.handled(Orders.report) == 0
    await tomodachi_broker.advance(1)
    await service.wait_for_handled(Orders.report)
    await service.trigger(Orders.report)
    assert service.instance.reports == 2


async def test_http_and_websocket_clients_talk_to_the_service(tomodachi_service: StartService) -> None:
    service = await tomodachi_service(Orders)
    await tomodachi.aws_sns_sqs_publish(service.instance, {"id": 3}, topic="order-created")
    await service.wait_for_handled(Orders.on_order)
    response = await service.http.get("/orders")
    assert json.loads(await response.text()) == [{"id": 3}]
    async with service.http.ws_connect("/live") as websocket:
        await websocket.send_str("count")
        message = await websocket.receive(timeout=5)
    assert message.data == "1 orders"


async def test_tomodachi_exit_ends_the_service_with_its_exit_code(tomodachi_service: StartService) -> None:
    service = await tomodachi_service(Orders)
    await service.http.post("/shutdown")
    assert await service.wait_for_exit(within=5) == 4
    assert service.logs.first("tomodachi.exit [4] was called").fields["exit_code"] == 4


class Flaky(tomodachi.Service):
    name = "flaky"
    message_envelope = JsonBase

    @tomodachi.aws_sns_sqs(
        "payment-due", queue_name="payments", dead_letter_queue_name="payments-dlq", max_receive_count=3
    )
    async def on_payment(self, data: Any) -> None:
        raise RuntimeError(f"gateway down for {data['id']}")

    @tomodachi.amqp("invoice.due", queue_name="invoices", retry_policy=RetryPolicy(attempts=3, delay=10))
    async def on_invoice(self, data: Any) -> None:
        raise RuntimeError(f"printer jammed on {data['id']}")


async def test_a_failing_sqs_handler_is_retried_then_dead_lettered_as_time_passes(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Flaky)
    await tomodachi.aws_sns_sqs_publish(service.instance, {"id": 7}, topic="payment-due")
    await service.wait_for_failed(Flaky.on_payment)
    for attempt in (2, 3):
        await tomodachi_broker.advance(3600)
        await service.wait_for_failed(Flaky.on_payment, count=attempt)
    await tomodachi_broker.advance(3600)
    assert await tomodachi_broker.sqs_dead_letter_data("payments") == [{"id": 7}]
    assert service.failed(Flaky.on_payment) == 3
    assert service.logs.find("gateway down for 7")


async def test_a_failing_amqp_handler_is_retried_then_dead_lettered_as_time_passes(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Flaky)
    await tomodachi.amqp_publish(service.instance, {"id": 8}, routing_key="invoice.due")
    await service.wait_for_failed(Flaky.on_invoice)
    await tomodachi_broker.advance(10)
    await service.wait_for_failed(Flaky.on_invoice, count=2)
    assert await tomodachi_broker.amqp_dead_letters("invoices") == []
    await tomodachi_broker.advance(20)
    await service.wait_for_failed(Flaky.on_invoice, count=3)
    assert await tomodachi_broker.amqp_dead_letter_data("invoices") == [{"id": 8}]


async def test_the_broker_routes_clients_and_the_clock_only_while_a_service_runs() -> None:
    broker = InMemoryBroker()
    async with run_service(Orders, broker=broker) as service:
        clock_while_running = SCHEDULE_TRANSPORT.clock
        await tomodachi.amqp_publish(service.instance, {"sku": "B"}, routing_key="stock.reserved")
        await service.wait_for_handled("on_stock")
        assert broker.amqp.connection_names()
    assert clock_while_running is broker.clock
    assert SCHEDULE_TRANSPORT.clock is None
    assert broker.amqp.connection_names() == []


async def test_raw_amqp_and_sqs_messages_from_other_programs_reach_the_handlers(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Orders)
    await tomodachi_broker.amqp_publish_raw(
        "stock.reserved", JsonBase.build_message(service.instance, "", {"sku": "R"})
    )
    await service.wait_for_handled(Orders.on_stock)
    body = {"Type": "Message", "Message": JsonBase.build_message(service.instance, "", {"task": "raw"})}
    await tomodachi_broker.sqs_send_raw("tasks", json.dumps(body))
    await service.wait_for_handled(Orders.on_task)
    assert service.instance.tasks == [{"task": "raw"}]
    assert tomodachi_broker.amqp_published_data("stock.confirmed") == [{"reserved": "R"}]


async def test_consumers_reconnect_after_the_broker_drops_every_connection(
    tomodachi_service: StartService, tomodachi_broker: InMemoryBroker
) -> None:
    service = await tomodachi_service(Orders)
    assert await tomodachi_broker.amqp_drop_connections() >= 1
    await tomodachi.amqp_publish(service.instance, {"sku": "D"}, routing_key="stock.reserved")
    await tomodachi_broker.advance(60)
    await service.wait_for_handled(Orders.on_stock, within=10)


async def test_an_active_broker_keeps_its_messages_between_services() -> None:
    async with InMemoryBroker() as broker:
        async with run_service(Orders, broker=broker) as first:
            await tomodachi.aws_sns_sqs_publish(first.instance, {"id": 11}, topic="order-created")
            await first.wait_for_handled(Orders.on_order)
        async with run_service(Orders, broker=broker) as second:
            assert broker.sns_published_data("order-accepted") == [{"id": 11, "state": "accepted"}]
            assert second.handled(Orders.on_order) == 0


async def test_published_data_is_decoded_with_the_facades_coroutine_envelope() -> None:
    from tomodachi.envelope import JsonBase as CoroutineJsonBase

    class Announcer(tomodachi.Service):
        name = "announcer"
        message_envelope = CoroutineJsonBase

        @tomodachi.aws_sns_sqs("announced")
        async def on_announced(self, data: Any) -> None:
            pass

    broker = InMemoryBroker()
    async with run_service(Announcer, broker=broker) as service:
        await tomodachi.aws_sns_sqs_publish(service.instance, {"hello": "world"}, topic="announced")
        await service.wait_for_handled("on_announced")
    assert broker.sns_published_data("announced") == [{"hello": "world"}]
