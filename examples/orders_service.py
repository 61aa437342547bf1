"""An order service that uses every transport: HTTP in, SNS+SQS and AMQP between steps, a schedule.

    POST /orders {"item": "book"}  → publishes to the SNS topic "order-placed"
    @aws_sns_sqs("order-placed")   → reserves stock, publishes "order.reserved" on AMQP
    @amqp("order.reserved")        → marks the order confirmed
    GET /orders/<id>               → the order and its state
    @schedule(interval=60)         → drops confirmed orders older than ten minutes

Run it against a moto server and RabbitMQ (`SNS_SQS_ENDPOINT=http://127.0.0.1:5000`), or test it with
no broker at all: see examples/tests/test_orders_service.py and the README's testing guide.
"""

from __future__ import annotations

import os
import time
import uuid
from typing import Any

from aiohttp import web

import tomodachi
from tomodachi.envelope import JsonBase

ENDPOINT = os.environ.get("SNS_SQS_ENDPOINT")


class OrderService(tomodachi.Service):
    name = "orders"
    message_envelope = JsonBase
    options = tomodachi.Options(
        http=tomodachi.Options.HTTP(port=9700),
        aws_sns_sqs=tomodachi.Options.AWSSNSSQS(
            region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
        ),
        aws_endpoint_urls=tomodachi.Options.AWSEndpointURLs(sns=ENDPOINT, sqs=ENDPOINT),
    )

    def __init__(self) -> None:
        self.orders: dict[str, dict[str, Any]] = {}

    @tomodachi.http("POST", r"/orders/?")
    async def place_order(self, request: web.Request) -> web.Response:
        body = await request.json()
        if not isinstance(body, dict) or not isinstance(body.get("item"), str):
            return web.json_response({"error": "an order needs an item"}, status=400)
        order = {"id": str(uuid.uuid4()), "item": body["item"], "state": "placed", "at": time.time()}
        self.orders[order["id"]] = order
        await tomodachi.aws_sns_sqs_publish(self, order, topic="order-placed")
        return web.json_response(order, status=201)

    @tomodachi.http("GET", r"/orders/(?P<order_id>[^/]+)/?")
    async def get_order(self, request: web.Request, order_id: str) -> web.Response:
        order = self.orders.get(order_id)
        if order is None:
            return web.json_response({"error": "no such order"}, status=404)
        return web.json_response(order)

    @tomodachi.aws_sns_sqs(
        "order-placed",
        queue_name="orders-reserve-stock",
        dead_letter_queue_name="orders-reserve-stock-dlq",
        max_receive_count=3,
    )
    async def reserve_stock(self, data: dict[str, Any]) -> None:
        if data["item"] == "unobtainium":
            raise RuntimeError("out of stock")  # the message comes back, later to a dead-letter queue
        self.orders.setdefault(data["id"], data)["state"] = "reserved"
        await tomodachi.amqp_publish(self, {"id": data["id"]}, routing_key="order.reserved")

    @tomodachi.amqp("order.reserved", queue_name="orders-confirm")
    async def confirm(self, data: dict[str, Any]) -> None:
        order = self.orders.get(data["id"])
        if order is not None:
            order["state"] = "confirmed"

    @tomodachi.schedule(interval=60)
    async def forget_old_orders(self) -> None:
        cutoff = time.time() - 600
        for order_id, order in list(self.orders.items()):
            if order["state"] == "confirmed" and order["at"] < cutoff:
                del self.orders[order_id]
