"""The in-memory broker's data: messages, queues, exchanges, consumers, clocks and topic matching."""

from __future__ import annotations

import asyncio
import copy
import json
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tomodachi_transport_amqp._values import OnDelivery

if TYPE_CHECKING:
    from ._memory_client import MemoryChannel

PROPERTY_NAMES = frozenset(
    {
        "content_type",
        "content_encoding",
        "headers",
        "delivery_mode",
        "priority",
        "correlation_id",
        "reply_to",
        "expiration",
        "message_id",
        "timestamp",
        "message_type",
        "user_id",
        "app_id",
        "cluster_id",
    }
)
"""The AMQP basic properties a message may carry."""

EQUIVALENCE_ARGUMENTS = (
    "x-expires",
    "x-message-ttl",
    "x-dead-letter-exchange",
    "x-dead-letter-routing-key",
    "x-max-length",
    "x-max-length-bytes",
    "x-max-priority",
    "x-overflow",
    "x-queue-mode",
    "x-queue-type",
    "x-single-active-consumer",
)
"""The queue arguments RabbitMQ compares when a queue is declared again."""


@dataclass(frozen=True)
class BrokerMessage:
    """A message as the in-memory broker holds it (in a queue) or saw it (published).

    Attributes:
        body: The body bytes.
        exchange: The exchange it was published (or dead-lettered) to.
        routing_key: Its routing key.
        properties: Its AMQP properties (``headers``, ``content_type``, ``message_id``, ...).
        redelivered: Whether it was delivered before and came back to its queue.
    """

    body: bytes
    exchange: str
    routing_key: str
    properties: Mapping[str, Any]
    redelivered: bool = False

    @property
    def headers(self) -> dict[str, Any]:
        """The message's headers (empty when it has none)."""
        return dict(self.properties.get("headers") or {})

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8")

    def json(self) -> Any:
        """Return the body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class Stored:
    """A message in a queue, or delivered and not yet acknowledged."""

    body: bytes
    exchange: str
    routing_key: str
    properties: dict[str, Any]
    redelivered: bool = False
    expires_at: float | None = None

    def snapshot(self) -> BrokerMessage:
        return BrokerMessage(
            self.body, self.exchange, self.routing_key, copy.deepcopy(self.properties), self.redelivered
        )


@dataclass
class Consumer:
    """A consumer of a queue on a channel."""

    tag: str
    queue: Queue
    channel: MemoryChannel
    on_delivery: OnDelivery
    prefetch: int
    unacked: int = 0

    def has_room(self) -> bool:
        return self.channel.has_room() and (self.prefetch == 0 or self.unacked < self.prefetch)


@dataclass
class Queue:
    """A durable queue with its arguments, ready messages and consumers."""

    name: str
    arguments: dict[str, Any]
    ready: deque[Stored] = field(default_factory=deque)
    consumers: list[Consumer] = field(default_factory=list)
    turn: int = 0
    expiry: asyncio.Task[None] | None = None
    deleted: bool = False

    def next_consumer(self) -> Consumer | None:
        """The next consumer in turn with room for a delivery (round-robin), if any."""
        count = len(self.consumers)
        for step in range(count):
            index = (self.turn + step) % count
            consumer = self.consumers[index]
            if consumer.has_room():
                self.turn = (index + 1) % count
                return consumer
        return None


@dataclass
class Exchange:
    """An exchange and its bindings (queue name, binding key)."""

    name: str
    kind: str
    bindings: list[tuple[str, str]] = field(default_factory=list)

    def matches(self, binding_key: str, routing_key: str) -> bool:
        if self.kind == "fanout":
            return True
        if self.kind == "topic":
            return topic_matches(binding_key, routing_key)
        if self.kind == "direct":
            return binding_key == routing_key
        return False  # headers exchanges route on headers, which this broker does not do


def topic_matches(pattern: str, routing_key: str) -> bool:
    """Whether a topic binding key matches a routing key: ``*`` one word, ``#`` zero or more words.

    Args:
        pattern: The binding key, words separated by dots.
        routing_key: The message's routing key.

    Returns:
        True when the message is routed through the binding.
    """
    words = pattern.split(".")
    key = routing_key.split(".")
    # reachable[j]: the pattern's words so far can match the first j words of the key
    reachable = [True] + [False] * len(key)
    for word in words:
        following = [False] * (len(key) + 1)
        if word == "#":
            seen = False
            for j in range(len(key) + 1):
                seen = seen or reachable[j]
                following[j] = seen
        else:
            for j in range(len(key)):
                if reachable[j] and (word == "*" or word == key[j]):
                    following[j + 1] = True
        reachable = following
    return reachable[len(key)]


class Refused(Exception):
    """The broker refuses an operation and closes the channel with ``code`` and ``text``."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(code, text)
        self.code = code
        self.text = text


def not_found(kind: str, name: str, vhost: str) -> Refused:
    return Refused(404, f"NOT_FOUND - no {kind} '{name}' in vhost '{vhost}'")
