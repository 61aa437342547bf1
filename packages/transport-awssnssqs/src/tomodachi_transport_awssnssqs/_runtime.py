"""The SNS+SQS handlers of one service instance, set up, consumed, drained and closed together."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

from ._consumer import Consumer, ConsumerSettings
from ._invoke import plan_handler
from ._publish import Publisher, use_publisher
from ._setup import set_up
from ._spec import SNSSQSHandlerSpec

logger = logging.getLogger("tomodachi.awssnssqs")


class SNSSQSRuntime:
    """Runs a service's ``aws_sns_sqs`` handlers.

    Args:
        service: The service instance.
        specs: Its handler specs, in start order.
        settings: Receive and retry settings.
        grace_period: How long ``drain`` awaits handlers in flight, in seconds.
        publisher: The publisher whose client the runtime uses; default one made from the options.
    """

    def __init__(
        self,
        service: Any,
        specs: Sequence[SNSSQSHandlerSpec],
        *,
        settings: ConsumerSettings,
        grace_period: float = 30.0,
        publisher: Publisher | None = None,
    ) -> None:
        self.service = service
        self.specs = list(specs)
        self.settings = settings
        self.grace_period = grace_period
        self._publisher = publisher
        self.consumers: list[Consumer] = []
        self._stopping = False

    @property
    def current_tasks(self) -> int:
        """Handlers running now, over every queue."""
        return sum(consumer.running for consumer in self.consumers)

    @property
    def total_tasks(self) -> int:
        """Messages handed to handlers since start, over every queue."""
        return sum(consumer.handled for consumer in self.consumers)

    @property
    def publisher(self) -> Publisher:
        if self._publisher is None:
            self._publisher = Publisher.for_service(self.service)
        return self._publisher

    async def start(self) -> None:
        """Set up every handler's queue, topic and subscription, in order.

        Raises:
            AWSSNSSQSException: a name or argument is invalid, or AWS refused or could not be reached.
        """
        publisher = self.publisher
        use_publisher(self.service, publisher)
        prefix = publisher.topic_prefix
        for spec in self.specs:
            plan = plan_handler(self.service, spec)
            setup = await set_up(publisher, spec, self.service)
            logger.info(
                "subscribed to topic" if spec.topic else "consuming queue",
                extra={"handler": spec.name, "topic": spec.topic, "queue_url": setup.queue_url},
            )

            async def recover(spec: SNSSQSHandlerSpec = spec) -> str:
                publisher.forget()
                return (await set_up(publisher, spec, self.service)).queue_url

            self.consumers.append(
                Consumer(
                    publisher.client,
                    plan,
                    setup.queue_url,
                    visibility_timeout=setup.visibility_timeout,
                    dead_letter_queue_url=setup.dead_letter_queue_url,
                    max_receive_count=setup.max_receive_count,
                    topic_prefix=prefix,
                    settings=self.settings,
                    recover=recover,
                    service=self.service,
                    broker=_broker(publisher),
                )
            )

    async def consume(self) -> None:
        """Begin receiving on every queue."""
        if self._stopping:
            return
        for consumer in self.consumers:
            consumer.start()

    async def drain(self) -> None:
        """Receive no more; await handlers in flight (their messages deleted) for the grace period."""
        self._stopping = True
        if not self.consumers:
            return
        logger.info("draining sqs receiver loop", extra={"handler_count": len(self.consumers)})
        await asyncio.gather(*(consumer.stop_receiving() for consumer in self.consumers))
        await asyncio.gather(*(consumer.finish(self.grace_period) for consumer in self.consumers))

    async def close(self) -> None:
        """Cancel whatever still runs and close the AWS clients."""
        self._stopping = True
        for consumer in self.consumers:
            await consumer.stop_receiving()
            await consumer.finish(0)
        use_publisher(self.service, None)
        if self._publisher is not None:
            await self._publisher.close()


def _broker(publisher: Publisher) -> str:
    """The SQS endpoint that the consumers receive from, for the operational events."""
    settings = publisher.settings
    return settings.endpoint("sqs") or f"sqs.{settings.region_name or 'default'}.amazonaws.com"
