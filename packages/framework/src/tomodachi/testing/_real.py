"""``RealBrokers``: the same tests against a moto server (SNS+SQS) and a RabbitMQ broker.

Services run with it get options that point them at the servers; publishing raw messages and
reading dead-letter queues go through real clients. Time is real: ``advance(seconds)`` sleeps, so a
test that waits out a visibility timeout or a retry delay takes that long.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any

from tomodachi_transport_amqp.testing import BrokerMessage
from tomodachi_transport_awssnssqs.testing import QueuedMessage

from ._names import ServiceNames

_NOT_KEPT = (
    "a real broker keeps no record of what was published to {what}; use the in-memory broker "
    "(@pytest.mark.tomodachi_brokers('memory')) or assert on what a receiving handler got"
)
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"
DUMMY_AWS = {"region_name": "us-east-1", "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


async def _peek(publisher: Any, url: str) -> list[QueuedMessage]:
    from tomodachi_transport_awssnssqs import decode_message_attributes

    found: dict[str, QueuedMessage] = {}
    for _ in range(10):
        response = await publisher.client.call(
            "sqs",
            "receive_message",
            QueueUrl=url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=0,
            WaitTimeSeconds=0,
            MessageAttributeNames=["All"],
            AttributeNames=["All"],
        )
        fresh = [item for item in response.get("Messages") or [] if item["MessageId"] not in found]
        if not fresh:
            break
        for item in fresh:
            system = item.get("Attributes") or {}
            raw = item.get("MessageAttributes") or {}
            first = system.get("ApproximateFirstReceiveTimestamp")
            try:
                notification = json.loads(item["Body"])
            except ValueError:
                notification = None
            found[item["MessageId"]] = QueuedMessage(
                queue=url.rsplit("/", 1)[-1],
                message_id=item["MessageId"],
                body=item["Body"],
                message_attributes=decode_message_attributes(raw) if raw else {},
                raw_message_attributes=raw,
                sent_timestamp=int(system.get("SentTimestamp", 0)) / 1000,
                receive_count=int(system.get("ApproximateReceiveCount", 0)),
                first_receive_timestamp=int(first) / 1000 if first else None,
                in_flight=False,
                visible=True,
                group_id=system.get("MessageGroupId"),
                deduplication_id=system.get("MessageDeduplicationId"),
                dead_letter_source_arn=system.get("DeadLetterQueueSourceArn"),
                notification=notification
                if isinstance(notification, dict) and "Message" in notification
                else None,
            )
    return list(found.values())


class RealClock:
    """The system clock, with the interface of a fake one: ``advance`` sleeps for real."""

    def time(self) -> float:
        """Return the time, in seconds since the epoch."""
        return time.time()

    async def sleep_until(self, moment: float) -> None:
        """Sleep until ``moment``."""
        await asyncio.sleep(max(0.0, moment - time.time()))

    async def advance(self, seconds: float) -> None:
        """Sleep ``seconds``: real brokers cannot be hurried."""
        await asyncio.sleep(seconds)


def amqp_settings(url: str) -> dict[str, Any]:
    """The ``amqp.*`` options of an ``amqp://user:password@host:port/vhost`` URL.

    Raises:
        ValueError: not an ``amqp://`` URL.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("amqp", "amqps"):
        raise ValueError(f"not an amqp:// URL: {url!r}")
    vhost = urllib.parse.unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or (5671 if parts.scheme == "amqps" else 5672),
        "login": urllib.parse.unquote(parts.username or "guest"),
        "password": urllib.parse.unquote(parts.password or "guest"),
        "virtualhost": vhost,
    }


_PREFIX_OPTIONS = (
    ("aws_sns_sqs", "topic_prefix"),
    ("aws_sns_sqs", "queue_name_prefix"),
    ("amqp", "routing_key_prefix"),
    ("amqp", "queue_name_prefix"),
)


class RealBrokers(ServiceNames):
    """A moto server for SNS+SQS and a RabbitMQ broker, behind ``InMemoryBroker``'s interface.

    Args:
        sns_sqs_endpoint: The moto server's URL (``http://127.0.0.1:5000``); ``None`` leaves the
            services' ``aws_endpoint_urls`` and credentials alone.
        amqp: An ``amqp://user:password@host:port/vhost`` URL; ``None`` leaves the services'
            ``amqp`` options alone.
        region_name: The region of the SNS+SQS requests.
        name_prefix: Put in front of every topic, queue and routing key prefix of the services run with
            these brokers (``"t3f9a-"``), so that the tests sharing one server do not meet each
            other's queues and messages; ``None`` keeps the services' names.

    What does not exist on a real broker: ``sns_published`` and ``amqp_published`` (and their
    ``_data`` forms) raise ``NotImplementedError``, as nothing keeps what a topic or an exchange
    received; assert on what the receiving queue or handler got instead. ``sqs_messages``,
    ``amqp_messages``, ``amqp_drop_connections`` and ``reset`` are in memory only; ``settle`` does
    nothing here.
    """

    mode = "real"

    def __init__(
        self,
        sns_sqs_endpoint: str | None = None,
        amqp: str | None = DEFAULT_AMQP_URL,
        *,
        region_name: str = DUMMY_AWS["region_name"],
        name_prefix: str | None = None,
    ) -> None:
        super().__init__()
        self.name_prefix = name_prefix
        self.sns_sqs_endpoint = sns_sqs_endpoint
        self.amqp_url = amqp
        self.region_name = region_name
        self.clock = RealClock()

    # The Broker seam used by run_service

    def service_options(self) -> dict[str, Any]:
        """The options that point a service at these servers."""
        options: dict[str, Any] = {}
        if self.sns_sqs_endpoint is not None:
            options.update(
                {
                    "aws_sns_sqs.region_name": self.region_name,
                    "aws_sns_sqs.aws_access_key_id": DUMMY_AWS["aws_access_key_id"],
                    "aws_sns_sqs.aws_secret_access_key": DUMMY_AWS["aws_secret_access_key"],
                    "aws_endpoint_urls.sns": self.sns_sqs_endpoint,
                    "aws_endpoint_urls.sqs": self.sns_sqs_endpoint,
                }
            )
        if self.amqp_url is not None:
            options.update({f"amqp.{key}": value for key, value in amqp_settings(self.amqp_url).items()})
        return options

    def attach(self, instance: Any) -> None:
        """Puts ``name_prefix`` in front of the service's name prefixes, then remembers the service."""
        if self.name_prefix:
            prefixed = {
                f"{section}.{key}": self.name_prefix + (self._own_option(instance, section, key))
                for section, key in _PREFIX_OPTIONS
            }
            instance.options = instance.options.merged(prefixed)
        super().attach(instance)

    @staticmethod
    def _own_option(instance: Any, section: str, key: str) -> str:
        value = getattr(getattr(instance.options, section, None), key, None)
        return value if isinstance(value, str) else ""

    @asynccontextmanager
    async def activate(self) -> AsyncIterator[None]:
        """Nothing to route: the services' options point at the servers."""
        yield

    def __enter__(self) -> RealBrokers:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        return None

    async def __aenter__(self) -> RealBrokers:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        return None

    # SNS and SQS, through a real client

    def _publisher(self) -> Any:
        from tomodachi_transport_awssnssqs import Publisher

        if self.sns_sqs_endpoint is None:
            raise RuntimeError("RealBrokers was made without sns_sqs_endpoint")
        endpoint = self.sns_sqs_endpoint
        return Publisher(
            region_name=self.region_name,
            aws_access_key_id=DUMMY_AWS["aws_access_key_id"],
            aws_secret_access_key=DUMMY_AWS["aws_secret_access_key"],
            endpoint_urls={"sns": endpoint, "sqs": endpoint, "sts": endpoint},
        )

    async def sns_publish_raw(
        self, topic: str, message: str, attributes: Mapping[str, Any] | None = None
    ) -> None:
        """Publishes a message to a topic as it is (prefix applied; the topic is created if missing)."""
        from tomodachi_transport_awssnssqs import encode_message_attributes

        async with self._publisher() as publisher:
            arn = await publisher.topic_arn(self.sns_topic(topic))
            params: dict[str, Any] = {"TopicArn": arn, "Message": message}
            if attributes:
                params["MessageAttributes"] = encode_message_attributes(dict(attributes))
            await publisher.client.call("sns", "publish", **params)

    async def sqs_send_raw(self, queue: str, body: str, attributes: Mapping[str, Any] | None = None) -> None:
        """Sends a message straight to an existing SQS queue as it is (prefix applied)."""
        from tomodachi_transport_awssnssqs import encode_message_attributes

        async with self._publisher() as publisher:
            url = await publisher.queue_url(self.sqs_queue(queue))
            params: dict[str, Any] = {"QueueUrl": url, "MessageBody": body}
            if attributes:
                params["MessageAttributes"] = encode_message_attributes(dict(attributes))
            await publisher.client.call("sqs", "send_message", **params)

    async def sqs_dead_letters(self, queue: str) -> list[QueuedMessage]:
        """The messages in the dead-letter queue of a handler's SQS queue (as the service names it,
        prefix applied; its RedrivePolicy names the dead-letter queue), read without taking them:
        each receive uses a zero visibility timeout. ``[]`` when the queue has no RedrivePolicy."""
        async with self._publisher() as publisher:
            url = await publisher.queue_url(self.sqs_queue(queue))
            attributes = await publisher.client.call(
                "sqs", "get_queue_attributes", QueueUrl=url, AttributeNames=["RedrivePolicy"]
            )
            policy = (attributes.get("Attributes") or {}).get("RedrivePolicy")
            if not policy:
                return []
            target = str(json.loads(policy)["deadLetterTargetArn"]).rsplit(":", 1)[-1]
            return await _peek(publisher, await publisher.queue_url(target))

    # AMQP, through a real connection

    async def _amqp_channel(self) -> tuple[Any, Any, Any]:
        import aioamqp

        if self.amqp_url is None:
            raise RuntimeError("RealBrokers was made without an amqp URL")
        settings = amqp_settings(self.amqp_url)
        transport, protocol = await aioamqp.connect(
            host=settings["host"],
            port=settings["port"],
            login=settings["login"],
            password=settings["password"],
            virtualhost=settings["virtualhost"],
        )
        try:
            return transport, protocol, await protocol.channel()
        except BaseException:
            transport.close()
            raise

    async def settle(self) -> None:
        """Nothing to wait for: real brokers move on their own (as ``InMemoryBroker.settle`` makes the
        in-memory ones do), so a test that settles runs on both."""

    async def amqp_publish_raw(
        self,
        routing_key: str,
        body: bytes | str,
        *,
        exchange: str = "amq.topic",
        properties: Mapping[str, Any] | None = None,
    ) -> None:
        """Publishes an AMQP message as it is (routing key prefixed and encoded as the service's are)."""
        transport, protocol, channel = await self._amqp_channel()
        try:
            data = body.encode("utf-8") if isinstance(body, str) else bytes(body)
            await channel.publish(data, exchange, self.amqp_routing_key(routing_key), dict(properties or {}))
        finally:
            await protocol.close()
            transport.close()

    async def amqp_dead_letters(self, queue: str) -> list[BrokerMessage]:
        """The messages dead-lettered from a handler's AMQP queue (its ``queue_name``, prefix applied),
        read with ``basic.get`` and left in the queue."""
        import aioamqp.exceptions

        transport, protocol, channel = await self._amqp_channel()
        found: list[BrokerMessage] = []
        try:
            while True:
                try:
                    got = await channel.basic_get(f"{self.amqp_queue(queue)}.dlq", no_ack=False)
                except aioamqp.exceptions.EmptyQueue:
                    break
                properties = {
                    name: getattr(got["properties"], name)
                    for name in type(got["properties"]).__slots__
                    if getattr(got["properties"], name, None) is not None
                }
                found.append(
                    BrokerMessage(
                        got["message"],
                        got["exchange_name"],
                        got["routing_key"],
                        properties,
                        bool(got["redelivered"]),
                    )
                )
        finally:
            await protocol.close()  # unacknowledged, they stay in the queue
            transport.close()
        return found

    async def advance(self, seconds: float) -> None:
        """Sleeps ``seconds`` of real time (real brokers' timers cannot be moved)."""
        await self.clock.advance(seconds)

    # What only the in-memory broker keeps

    def sns_published(self, topic: str) -> list[Any]:
        """Not available: SNS keeps no record of what was published.

        Raises:
            NotImplementedError: always; assert on what a subscribed queue or handler received.
        """
        raise NotImplementedError(_NOT_KEPT.format(what=f"SNS topic {topic!r}"))

    def sns_published_data(self, topic: str, *, envelope: Any = None) -> list[Any]:
        """Not available, as ``sns_published``."""
        raise NotImplementedError(_NOT_KEPT.format(what=f"SNS topic {topic!r}"))

    def amqp_published(self, routing_key: str | None = None, exchange: str | None = None) -> list[Any]:
        """Not available: RabbitMQ keeps no record of what was published.

        Raises:
            NotImplementedError: always; assert on what a bound queue or handler received.
        """
        raise NotImplementedError(_NOT_KEPT.format(what=f"routing key {routing_key!r}"))

    def amqp_published_data(self, routing_key: str, *, envelope: Any = None) -> list[Any]:
        """Not available, as ``amqp_published``."""
        raise NotImplementedError(_NOT_KEPT.format(what=f"routing key {routing_key!r}"))
