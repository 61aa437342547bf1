"""An in-memory AWS (SNS, SQS, STS) that the library's own code runs against, and its inspection helpers.

``MemoryAWS`` keeps topics, subscriptions and queues; ``client()`` gives the library a :class:`Client` on
them, and :func:`use_memory_aws` makes every client the library creates (``Publisher``, the runtime,
``publish`` and ``send_message``) one of those::

    aws = MemoryAWS(clock=ManualClock())
    with use_memory_aws(aws):
        async with Publisher() as publisher:
            await publisher.publish("orders", "hello")
    assert [p.message for p in aws.published("orders")] == ["hello"]
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from tomodachi_transport_awssnssqs._attributes import from_response, to_botocore
from tomodachi_transport_awssnssqs._client import ClientSettings, ServiceName, set_client_factory

from ._memory_clock import Clock, LoopClock, settle
from ._memory_common import client_error
from ._memory_notification import Published
from ._memory_sns import SNS
from ._memory_sqs import SQS

_SQS_OPERATIONS = frozenset(
    {
        "create_queue", "get_queue_url", "list_queues", "delete_queue", "purge_queue", "get_queue_attributes",
        "set_queue_attributes", "tag_queue", "untag_queue", "list_queue_tags", "send_message",
        "send_message_batch", "receive_message", "delete_message", "delete_message_batch",
        "change_message_visibility", "change_message_visibility_batch",
    }
)  # fmt: skip
_SNS_OPERATIONS = frozenset(
    {
        "create_topic", "delete_topic", "get_topic_attributes", "set_topic_attributes", "list_topics",
        "subscribe", "set_subscription_attributes", "get_subscription_attributes", "unsubscribe",
        "list_subscriptions_by_topic", "list_subscriptions", "publish",
    }
)  # fmt: skip


@dataclass(frozen=True)
class PublishedMessage:
    """A message published to an SNS topic.

    Attributes:
        topic: The topic's full name (prefix and ``.fifo`` included).
        message: The published ``Message`` (the envelope's payload, or the raw text).
        message_attributes: The message attributes, decoded as a handler sees them.
        raw_message_attributes: The message attributes in botocore's form.
    """

    topic: str
    topic_arn: str
    message_id: str
    message: str
    message_attributes: dict[str, Any]
    raw_message_attributes: dict[str, dict[str, Any]]
    timestamp: float
    subject: str | None = None
    group_id: str | None = None
    deduplication_id: str | None = None


@dataclass(frozen=True)
class QueuedMessage:
    """A message sitting in an SQS queue, visible or in flight.

    Attributes:
        body: The SQS message body: an SNS notification (JSON), a ``send_message`` body, or raw text.
        message_attributes: The SQS message attributes, decoded (empty for SNS notifications, whose
            attributes are in the body).
        in_flight: Received and not yet visible again.
        visible: A receive could get it now (FIFO group order aside).
        receive_count: ``ApproximateReceiveCount``.
    """

    queue: str
    message_id: str
    body: str
    message_attributes: dict[str, Any]
    raw_message_attributes: dict[str, dict[str, Any]]
    sent_timestamp: float
    receive_count: int
    first_receive_timestamp: float | None
    in_flight: bool
    visible: bool
    group_id: str | None = None
    deduplication_id: str | None = None
    dead_letter_source_arn: str | None = None
    notification: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def message(self) -> str:
        """The ``Message`` of an SNS notification or of a ``send_message`` body; else the body itself."""
        if self.notification is not None and isinstance(self.notification.get("Message"), str):
            return str(self.notification["Message"])
        return self.body


class MemoryClient:
    """A :class:`Client` on a :class:`MemoryAWS`; closing it leaves the state as it is."""

    # Handled messages are deleted at once rather than batched over a tenth of a second: a request
    # costs nothing here, and a test that moves the clock right after a handler must not see its
    # message again.
    delete_batch_delay = 0.0

    def __init__(self, aws: MemoryAWS) -> None:
        self.aws = aws

    async def call(self, service: ServiceName, operation: str, **params: Any) -> dict[str, Any]:
        """Run an API operation on the in-memory state (see :meth:`MemoryAWS.call`)."""
        return await self.aws.call(service, operation, **params)

    async def close(self) -> None:
        """Nothing to close."""


class MemoryAWS:
    """SNS topics, SQS queues and an STS identity, in memory.

    Args:
        clock: Gives the time (``time()``, seconds since the epoch) and waits (``async sleep_until``);
            ``ManualClock`` (or the scheduler's ``FakeClock``) makes visibility timeouts, delays and long
            polls move only with :meth:`advance`. Default: the running event loop's clock.
        region: The region in ARNs and queue URLs.
        account_id: The account in ARNs and queue URLs, and what STS answers.
    """

    def __init__(
        self, clock: Clock | None = None, *, region: str = "us-east-1", account_id: str = "123456789012"
    ) -> None:
        self.clock: Clock = clock if clock is not None else LoopClock()
        self.region = region
        self.account_id = account_id
        self._sqs = SQS(lambda: self.clock, region, account_id)
        self._sns = SNS(lambda: self.clock, self._sqs)

    def client(self, settings: ClientSettings | None = None) -> MemoryClient:
        """Return a client on this state (``settings`` are accepted and ignored)."""
        del settings
        return MemoryClient(self)

    async def call(self, service: str, operation: str, **params: Any) -> dict[str, Any]:
        """Run an API operation as AWS would, with botocore's method and parameter names.

        Args:
            service: ``"sns"``, ``"sqs"`` or ``"sts"``.
            operation: E.g. ``"publish"``, ``"receive_message"``.
            **params: The operation's parameters.

        Returns:
            The response, shaped as botocore gives it.

        Raises:
            AWSClientError: AWS's error (``QueueDoesNotExistError`` for a missing queue), or
                ``InvalidAction`` for an operation the in-memory AWS does not know.
            AWSSNSSQSConnectionException: a parameter is missing or unknown (botocore refuses those).
        """
        await asyncio.sleep(0)
        params = copy.deepcopy(params)
        if service == "sts" and operation == "get_caller_identity":
            return {
                "UserId": f"AIDA{self.account_id}",
                "Account": self.account_id,
                "Arn": f"arn:aws:iam::{self.account_id}:user/memory",
            }
        target: Any = {"sqs": self._sqs, "sns": self._sns}.get(service)
        known = {"sqs": _SQS_OPERATIONS, "sns": _SNS_OPERATIONS}.get(service, frozenset())
        if target is None or operation not in known:
            raise client_error(
                operation, "InvalidAction", f"{service}.{operation} is not supported by the in-memory AWS"
            )
        response: dict[str, Any] = await getattr(target, operation)(params)
        return copy.deepcopy(response)

    # -- inspection

    def topics(self) -> list[str]:
        """The full names of the topics, sorted."""
        return sorted(self._sns.topics)

    def queues(self) -> list[str]:
        """The names of the queues, sorted."""
        return sorted(self._sqs.queues)

    def published(self, topic: str) -> list[PublishedMessage]:
        """What was published to a topic (full name or ARN), oldest first; ``[]`` for an unknown topic."""
        found = self._sns.find(topic)
        return [] if found is None else [_published(found.name, item) for item in found.published]

    def messages(self, queue: str) -> list[QueuedMessage]:
        """What sits in a queue (name, URL or ARN), visible and in flight, in order; ``[]`` if unknown."""
        found = self._sqs.find(queue)
        if found is None:
            return []
        now = self.clock.time()
        found.expire(now)
        return [
            QueuedMessage(
                queue=found.name,
                message_id=m.message_id,
                body=m.body,
                message_attributes=from_response(m.attributes),
                raw_message_attributes=copy.deepcopy(m.attributes),
                sent_timestamp=m.sent,
                receive_count=m.receive_count,
                first_receive_timestamp=m.first_receive,
                in_flight=m.in_flight(now),
                visible=m.visible_at <= now,
                group_id=m.group_id,
                deduplication_id=m.deduplication_id,
                dead_letter_source_arn=m.source_queue_arn,
                notification=_notification(m.body),
            )
            for m in found.messages.values()
        ]

    def dead_letters(self, queue: str) -> list[QueuedMessage]:
        """What sits in the dead-letter queue of ``queue`` per its RedrivePolicy; ``[]`` without one."""
        found = self._sqs.find(queue)
        redrive = found.redrive() if found is not None else None
        return [] if redrive is None else self.messages(redrive[0])

    async def publish_raw(
        self,
        topic: str,
        message: str,
        attributes: Mapping[str, Any] | None = None,
        *,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        subject: str | None = None,
    ) -> str:
        """Publish ``message`` as it is (no envelope) to a topic, created when a name is given and missing.

        Args:
            topic: The topic's full name (``.fifo`` for a FIFO topic) or ARN.
            message: The SNS ``Message``.
            attributes: Message attributes as Python values (encoded as the library encodes them).
            group_id: The FIFO message group.
            deduplication_id: The FIFO deduplication id (default: one per call).
            subject: The SNS ``Subject``.

        Returns:
            The SNS message id.

        Raises:
            AWSClientError: SNS refused (e.g. the ARN names no topic).
        """
        if topic.startswith("arn:"):
            arn = topic
        else:
            fifo = {"FifoTopic": "true"} if topic.endswith(".fifo") else {}
            arn = str((await self.call("sns", "create_topic", Name=topic, Attributes=fifo))["TopicArn"])
        params: dict[str, Any] = {"TopicArn": arn, "Message": message}
        if attributes:
            params["MessageAttributes"] = to_botocore(attributes)
        if subject is not None:
            params["Subject"] = subject
        if group_id is not None:
            params["MessageGroupId"] = group_id
            params["MessageDeduplicationId"] = deduplication_id or _unique()
        return str((await self.call("sns", "publish", **params))["MessageId"])

    async def send_raw(
        self,
        queue: str,
        body: str,
        attributes: Mapping[str, Any] | None = None,
        *,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        delay_seconds: int | None = None,
    ) -> str:
        """Send ``body`` as it is (no envelope, no notification wrapping) to an existing queue.

        Args:
            queue: The queue's name, URL or ARN.
            body: The SQS message body.
            attributes: SQS message attributes as Python values.
            group_id: The FIFO message group (required for FIFO queues).
            deduplication_id: The FIFO deduplication id (default: one per call).
            delay_seconds: The delivery delay.

        Returns:
            The SQS message id.

        Raises:
            QueueDoesNotExistError: no such queue.
            AWSClientError: SQS refused.
        """
        url = self._sqs.queue("send_message", queue).url
        params: dict[str, Any] = {"QueueUrl": url, "MessageBody": body}
        if attributes:
            params["MessageAttributes"] = to_botocore(attributes)
        if group_id is not None:
            params["MessageGroupId"] = group_id
            params["MessageDeduplicationId"] = deduplication_id or _unique()
        if delay_seconds is not None:
            params["DelaySeconds"] = delay_seconds
        return str((await self.call("sqs", "send_message", **params))["MessageId"])

    async def advance(self, seconds: float) -> None:
        """Move a fake clock ``seconds`` forward and let what became due run.

        Raises:
            TypeError: the clock cannot be moved (it has no ``advance``), e.g. the default one.
        """
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise TypeError("this MemoryAWS runs on a real clock; give it a fake one, e.g. ManualClock()")
        await advance(seconds)
        await settle()

    def reset(self) -> None:
        """Forget every topic, subscription, queue and message (long polls waiting get a missing queue)."""
        queues = list(self._sqs.queues.values())
        self._sqs.queues.clear()
        self._sns.topics.clear()
        self._sns.subscriptions.clear()
        for queue in queues:
            queue.deleted = True
            queue.notify()


@contextlib.contextmanager
def use_memory_aws(aws: MemoryAWS) -> Iterator[MemoryAWS]:
    """Make every AWS client the library creates inside the block a client of ``aws``.

    Publishers, service runtimes and the ``publish``/``send_message`` functions all get one; a
    ``Publisher(client=...)`` keeps the client it was given. The previous factory is put back on exit.

    Args:
        aws: The in-memory AWS.

    Yields:
        ``aws``.
    """
    previous = set_client_factory(lambda settings: aws.client(settings))
    try:
        yield aws
    finally:
        set_client_factory(previous)


def _published(name: str, item: Published) -> PublishedMessage:
    return PublishedMessage(
        topic=name,
        topic_arn=item.topic_arn,
        message_id=item.message_id,
        message=item.message,
        message_attributes=from_response(item.attributes),
        raw_message_attributes=copy.deepcopy(item.attributes),
        timestamp=item.timestamp,
        subject=item.subject,
        group_id=item.group_id,
        deduplication_id=item.deduplication_id,
    )


def _notification(body: str) -> dict[str, Any] | None:
    try:
        document = json.loads(body)
    except ValueError:
        return None
    if isinstance(document, dict) and document.get("Type") in ("Notification", "Message"):
        return document
    return None


def _unique() -> str:
    return str(uuid.uuid4())
