"""The SNS+SQS transport object that every handler spec of this library refers to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._consumer import ConsumerSettings
from ._runtime import SNSSQSRuntime


class AWSSNSSQSTransport:
    """Creates an :class:`SNSSQSRuntime` per service instance.

    Args:
        settings: Receive and retry settings of the consumers.
        grace_period: How long stopping awaits handlers in flight, in seconds.
    """

    name = "aws_sns_sqs"

    def __init__(self, settings: ConsumerSettings | None = None, grace_period: float = 30.0) -> None:
        self.settings = settings or ConsumerSettings()
        self.grace_period = grace_period

    def create_runtime(self, service: Any, specs: Sequence[Any]) -> SNSSQSRuntime:
        """Return the runtime of ``service``'s SNS+SQS handlers.

        Args:
            service: The service instance.
            specs: Its handler specs, in start order.

        Returns:
            A runtime with this transport's settings.
        """
        return SNSSQSRuntime(service, list(specs), settings=self.settings, grace_period=self.grace_period)

    def __repr__(self) -> str:
        return f"<AWSSNSSQSTransport {self.name!r}>"


# The transport of every spec recorded by ``aws_sns_sqs``.
AWS_SNS_SQS_TRANSPORT = AWSSNSSQSTransport()
