"""The in-memory broker's state and rules: declarations, routing, delivery, TTL and dead-lettering.

RabbitMQ's behaviour, as the library relies on it:

* The default exchange ``""`` routes to the queue named by the routing key; topic exchanges match
  ``*`` (one word) and ``#`` (zero or more words); direct and fanout exchanges route as theirs do.
* Messages go to a queue's consumers in turn (round-robin), each consumer within its prefetch and
  its channel's; a consumer gets nothing more once its prefetch of unacknowledged deliveries is used.
* A rejected message (nack without requeue) and an expired one are dead-lettered to the queue's
  ``x-dead-letter-exchange`` with its ``x-dead-letter-routing-key`` (or their own key), with an
  ``x-death`` record; without a dead-letter exchange they are dropped.
* A message expires at the head of its queue, after the shorter of its ``expiration`` and the
  queue's ``x-message-ttl``; the ``expiration`` property is removed when it is dead-lettered.
* Unacknowledged deliveries of a closed channel return to the head of their queue, redelivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime
import itertools
import uuid
from typing import TYPE_CHECKING, Any

from tomodachi_middleware.testing import Clock

from ._memory_model import (
    EQUIVALENCE_ARGUMENTS,
    BrokerMessage,
    Exchange,
    Queue,
    Refused,
    Stored,
    not_found,
)

if TYPE_CHECKING:
    from ._memory_client import MemoryConnection

_PREDECLARED = {
    "": "direct",
    "amq.direct": "direct",
    "amq.fanout": "fanout",
    "amq.topic": "topic",
    "amq.headers": "headers",
    "amq.match": "headers",
}


class BrokerCore:
    """Exchanges, queues, connections and the record of publishes of one in-memory broker."""

    def __init__(self, clock: Clock, vhost: str = "/") -> None:
        self.clock = clock
        self.vhost = vhost
        self.exchanges: dict[str, Exchange] = {}
        self.queues: dict[str, Queue] = {}
        self.connections: list[MemoryConnection] = []
        self.published: list[BrokerMessage] = []
        self.accepting = True
        self._tags = itertools.count(1)
        self.reset_declarations()

    def reset_declarations(self) -> None:
        """Forget every queue and exchange but the predeclared ones, and every publish."""
        for queue in self.queues.values():
            if queue.expiry is not None:
                queue.expiry.cancel()
        self.exchanges = {name: Exchange(name, kind) for name, kind in _PREDECLARED.items()}
        self.queues = {}
        self.published = []

    def forget(self, connection: MemoryConnection) -> None:
        if connection in self.connections:
            self.connections.remove(connection)

    def consumer_tag(self) -> str:
        return f"amq.ctag-{uuid.uuid4().hex[:12]}-{next(self._tags)}"

    # -- declarations ---------------------------------------------------------------------------

    def declare_exchange(self, name: str, kind: str) -> None:
        """Declare a durable exchange of ``kind`` (``topic``, ``direct``, ``fanout``).

        Raises:
            Refused: 403 for an ``amq.`` name, 406 for an exchange of another kind.
        """
        if name == "" or name.startswith("amq."):
            raise Refused(403, f"ACCESS_REFUSED - exchange name '{name}' contains reserved prefix 'amq.*'")
        existing = self.exchanges.get(name)
        if existing is None:
            self.exchanges[name] = Exchange(name, kind)
        elif existing.kind != kind:
            raise Refused(
                406,
                f"PRECONDITION_FAILED - inequivalent arg 'type' for exchange '{name}' in vhost "
                f"'{self.vhost}': received '{kind}' but current is '{existing.kind}'",
            )

    def delete_exchange(self, name: str) -> None:
        if name == "" or name.startswith("amq."):
            raise Refused(403, f"ACCESS_REFUSED - operation not permitted on exchange '{name}'")
        self.exchanges.pop(name, None)

    def declare_queue(self, name: str, arguments: dict[str, Any]) -> int:
        """Declare a durable queue; return how many consumers it has.

        Raises:
            Refused: 406 when it exists with other arguments, 403 for an ``amq.`` name.
        """
        if name.startswith("amq."):
            raise Refused(403, f"ACCESS_REFUSED - queue name '{name}' contains reserved prefix 'amq.*'")
        existing = self.queues.get(name)
        if existing is None:
            self.queues[name] = Queue(name, copy.deepcopy(arguments))
            return 0
        for key in EQUIVALENCE_ARGUMENTS:
            received, current = arguments.get(key), existing.arguments.get(key)
            if received != current:
                raise Refused(
                    406,
                    f"PRECONDITION_FAILED - inequivalent arg '{key}' for queue '{name}' in vhost "
                    f"'{self.vhost}': received {_described(received)} but current is {_described(current)}",
                )
        return len(existing.consumers)

    def queue(self, name: str) -> Queue:
        found = self.queues.get(name)
        if found is None:
            raise not_found("queue", name, self.vhost)
        return found

    def delete_queue(self, name: str) -> None:
        """Delete a queue and its messages; its consumers are cancelled. A missing queue is fine."""
        queue = self.queues.pop(name, None)
        if queue is None:
            return
        queue.deleted = True
        queue.ready.clear()
        if queue.expiry is not None:
            queue.expiry.cancel()
        for exchange in self.exchanges.values():
            exchange.bindings = [binding for binding in exchange.bindings if binding[0] != name]
        consumers, queue.consumers = queue.consumers, []
        for consumer in consumers:
            consumer.channel.cancelled_by_broker(consumer)

    def bind(self, queue: str, exchange: str, routing_key: str) -> None:
        if exchange == "":
            raise Refused(403, "ACCESS_REFUSED - operation not permitted on the default exchange")
        self.queue(queue)
        found = self.exchanges.get(exchange)
        if found is None:
            raise not_found("exchange", exchange, self.vhost)
        if (queue, routing_key) not in found.bindings:
            found.bindings.append((queue, routing_key))

    # -- messages -------------------------------------------------------------------------------

    def publish(self, body: bytes, exchange: str, routing_key: str, properties: dict[str, Any]) -> int:
        """Record and route a published message; return to how many queues it went.

        Raises:
            Refused: 404 when the exchange does not exist.
        """
        if exchange not in self.exchanges:
            raise not_found("exchange", exchange, self.vhost)
        self.published.append(BrokerMessage(body, exchange, routing_key, copy.deepcopy(properties)))
        return self.route(body, exchange, routing_key, properties)

    def route(
        self,
        body: bytes,
        exchange: str,
        routing_key: str,
        properties: dict[str, Any],
        skip: frozenset[str] = frozenset(),
    ) -> int:
        """Put a copy of the message in every queue the exchange routes it to but those in ``skip``."""
        found = self.exchanges.get(exchange)
        if found is None:
            return 0  # an unroutable message is dropped, as without the mandatory flag
        if found.name == "":
            names = [routing_key] if routing_key in self.queues else []
        else:
            names = list(
                dict.fromkeys(name for name, key in found.bindings if found.matches(key, routing_key))
            )
        names = [name for name in names if name not in skip]
        for name in names:
            message = Stored(body, exchange, routing_key, copy.deepcopy(properties))
            self.enqueue(self.queues[name], message)
        return len(names)

    def enqueue(self, queue: Queue, message: Stored) -> None:
        ttls = []
        if isinstance(queue.arguments.get("x-message-ttl"), int):
            ttls.append(int(queue.arguments["x-message-ttl"]))
        expiration = message.properties.get("expiration")
        if expiration is not None:
            with contextlib.suppress(TypeError, ValueError):
                ttls.append(int(expiration))
        if ttls:
            message.expires_at = self.clock.time() + min(ttls) / 1000
        queue.ready.append(message)
        self.watch_expiry(queue)
        self.dispatch(queue)

    def requeue(self, queue: Queue, messages: list[Stored]) -> None:
        """Put messages back at the head of their queue, in order, marked redelivered."""
        if queue.deleted:
            return
        for message in reversed(messages):
            message.redelivered = True
            queue.ready.appendleft(message)
        self.watch_expiry(queue)

    def dispatch(self, queue: Queue) -> None:
        """Deliver ready messages to consumers with room, in turn; expire what is due on the way."""
        if queue.deleted:
            return
        while queue.ready:
            if self._expire_head(queue):
                continue
            consumer = queue.next_consumer()
            if consumer is None:
                return
            consumer.channel.deliver(consumer, queue.ready.popleft())

    def _expire_head(self, queue: Queue) -> bool:
        head = queue.ready[0]
        if head.expires_at is None or head.expires_at > self.clock.time():
            return False
        queue.ready.popleft()
        self.dead_letter(queue, head, "expired")
        return True

    def watch_expiry(self, queue: Queue) -> None:
        """Make sure a task expires the queue's head when it is due."""
        idle = queue.expiry is None or queue.expiry.done()
        if idle and queue.ready and queue.ready[0].expires_at is not None:
            queue.expiry = asyncio.get_running_loop().create_task(self._expire(queue))

    async def _expire(self, queue: Queue) -> None:
        while not queue.deleted and queue.ready:
            head = queue.ready[0]
            if head.expires_at is None:
                return
            if head.expires_at > self.clock.time():
                await self.clock.sleep_until(head.expires_at)
                continue
            if queue.ready and queue.ready[0] is head:
                queue.ready.popleft()
                self.dead_letter(queue, head, "expired")
            self.dispatch(queue)

    def dead_letter(self, queue: Queue, message: Stored, reason: str) -> None:
        """Send ``message`` to the queue's dead-letter exchange, or drop it when it has none."""
        exchange = queue.arguments.get("x-dead-letter-exchange")
        if exchange is None or queue.deleted:
            return
        routing_key = str(queue.arguments.get("x-dead-letter-routing-key", message.routing_key))
        properties = copy.deepcopy(message.properties)
        expiration = properties.pop("expiration", None)
        headers = dict(properties.get("headers") or {})
        deaths = [dict(death) for death in headers.get("x-death") or []]
        for death in deaths:
            if death.get("queue") == queue.name and death.get("reason") == reason:
                deaths.remove(death)
                death["count"] = int(death.get("count", 0)) + 1
                death["time"] = _now()
                deaths.insert(0, death)
                break
        else:
            death = {
                "count": 1,
                "reason": reason,
                "queue": queue.name,
                "time": _now(),
                "exchange": message.exchange,
                "routing-keys": [message.routing_key],
            }
            if expiration is not None:
                death["original-expiration"] = expiration
            deaths.insert(0, death)
        headers["x-death"] = deaths
        headers.setdefault("x-first-death-exchange", message.exchange)
        headers.setdefault("x-first-death-queue", queue.name)
        headers.setdefault("x-first-death-reason", reason)
        properties["headers"] = headers
        # A message that would go round a cycle of expiries back to a queue it died in is dropped.
        cycled = (
            frozenset(str(death.get("queue")) for death in deaths)
            if all(death.get("reason") != "rejected" for death in deaths)
            else frozenset()
        )
        self.route(message.body, str(exchange), routing_key, properties, skip=cycled)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _described(value: Any) -> str:
    if value is None:
        return "none"
    kind = "longstr" if isinstance(value, str) else "signedint" if isinstance(value, int) else "value"
    return f"the value '{value}' of type '{kind}'"
