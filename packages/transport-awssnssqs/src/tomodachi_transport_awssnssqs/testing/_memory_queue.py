"""One in-memory SQS queue: its attributes, its messages in send order, and what wakes its long polls."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

QUEUE_DEFAULTS = {
    "VisibilityTimeout": "30",
    "DelaySeconds": "0",
    "MaximumMessageSize": "262144",
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "SqsManagedSseEnabled": "true",
}
FIFO_DEFAULTS = {
    "FifoQueue": "true",
    "ContentBasedDeduplication": "false",
    "DeduplicationScope": "queue",
    "FifoThroughputLimit": "perQueue",
}
DEDUPLICATION_WINDOW = 300.0


@dataclass
class StoredMessage:
    """A message as SQS keeps it."""

    message_id: str
    body: str
    attributes: dict[str, dict[str, Any]]
    sent: float
    visible_at: float
    sender_id: str
    group_id: str | None = None
    deduplication_id: str | None = None
    sequence_number: str | None = None
    receive_count: int = 0
    first_receive: float | None = None
    receipt: str | None = None
    source_queue_arn: str | None = None

    def in_flight(self, now: float) -> bool:
        """Received and not yet visible again."""
        return self.receipt is not None and self.visible_at > now


@dataclass
class Queue:
    """An SQS queue."""

    name: str
    url: str
    arn: str
    attributes: dict[str, str]
    created: float
    messages: dict[str, StoredMessage] = field(default_factory=dict)
    deduplication: dict[tuple[str, str], tuple[str, float]] = field(default_factory=dict)
    receipts: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    waiters: set[asyncio.Future[None]] = field(default_factory=set)
    deleted: bool = False

    @property
    def fifo(self) -> bool:
        return self.attributes.get("FifoQueue") == "true"

    def number(self, name: str) -> int:
        return int(self.attributes.get(name) or QUEUE_DEFAULTS.get(name) or 0)

    def redrive(self) -> tuple[str, int] | None:
        """The dead-letter queue ARN and max receive count, when a RedrivePolicy is set."""
        text = self.attributes.get("RedrivePolicy")
        if not text:
            return None
        policy = json.loads(text)
        return str(policy["deadLetterTargetArn"]), int(policy["maxReceiveCount"])

    def notify(self) -> None:
        """Wake every long poll waiting on this queue."""
        for waiter in list(self.waiters):
            if not waiter.done():
                with contextlib.suppress(RuntimeError):  # a waiter of a loop that has closed
                    waiter.set_result(None)
        self.waiters.clear()

    def new_receipt(self, message: StoredMessage) -> str:
        token = f"{self.name}|{message.message_id}|{uuid.uuid4().hex}"
        handle = base64.b64encode(token.encode()).decode("ascii")
        self.receipts[handle] = message.message_id
        message.receipt = handle
        return handle

    def expire(self, now: float) -> None:
        """Drop messages older than the retention period and deduplication ids older than 5 minutes."""
        retention = self.number("MessageRetentionPeriod")
        for message_id, message in list(self.messages.items()):
            if message.sent + retention <= now:
                del self.messages[message_id]
        for key, (_, until) in list(self.deduplication.items()):
            if until <= now:
                del self.deduplication[key]

    def next_change(self, now: float) -> float | None:
        """When the next message not visible now becomes visible."""
        moments = [m.visible_at for m in self.messages.values() if m.visible_at > now]
        return min(moments) if moments else None

    def candidates(self, now: float) -> list[StoredMessage]:
        """The messages a receive may give now, in order: visible ones, and for FIFO the head of each
        group that has nothing in flight or delayed before it (several of one group may follow in order)."""
        if not self.fifo:
            return [m for m in self.messages.values() if m.visible_at <= now]
        blocked: set[str | None] = set()
        result: list[StoredMessage] = []
        for message in self.messages.values():
            if message.group_id in blocked:
                continue
            if message.visible_at > now:
                blocked.add(message.group_id)
                continue
            result.append(message)
        return result

    def counts(self, now: float) -> dict[str, str]:
        visible = sum(1 for m in self.messages.values() if m.visible_at <= now)
        in_flight = sum(1 for m in self.messages.values() if m.in_flight(now))
        delayed = len(self.messages) - visible - in_flight
        return {
            "ApproximateNumberOfMessages": str(visible),
            "ApproximateNumberOfMessagesNotVisible": str(in_flight),
            "ApproximateNumberOfMessagesDelayed": str(delayed),
        }


def pick_attributes(attributes: dict[str, dict[str, Any]], names: list[str] | None) -> dict[str, Any]:
    """The message attributes named by ``MessageAttributeNames`` (``All``, ``.*``, ``prefix.*``, names)."""
    if not names:
        return {}
    if "All" in names or ".*" in names:
        return dict(attributes)
    prefixes = tuple(name[:-1] for name in names if name.endswith(".*"))
    return {
        key: value
        for key, value in attributes.items()
        if key in names or (prefixes and key.startswith(prefixes))
    }
