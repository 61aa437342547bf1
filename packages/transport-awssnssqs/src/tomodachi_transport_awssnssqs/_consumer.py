"""Receiving one handler's queue: a slot per message, retries with backoff, heartbeats, FIFO groups.

Up to ``max_number_of_consumed_messages`` messages run at once, and a receive asks for as many
messages as there are free slots as soon as half of them are free: a slow message never holds up the
others, and each receive is worth its round trip. On a
FIFO queue the messages of one group run one after the other, in order, while different groups run
side by side.

A message is deleted only after its handler returned. When the handler (or a middleware) raises, the
message is made visible again after a backoff that doubles with each receive (``ChangeMessageVisibility``),
so SQS moves it to the dead-letter queue after ``max_receive_count`` receives where one is configured.
A message that cannot be parsed goes to the dead-letter queue at once when there is one; otherwise it
waits the longest backoff. While a handler runs, the message's visibility is extended every half
visibility timeout, so no other consumer gets it.

A consumer reports ``consumer.started``/``consumer.stopped``, and ``connection.lost`` when a receive
fails on the endpoint and ``connection.restored`` at the next receive that succeeds, as
``tomodachi_middleware`` operational events (``transport="aws_sns_sqs"``, ``service``, ``broker``,
``queue`` the queue URL, ``handler``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tomodachi_middleware import emit, set_handler_context

from ._client import Client
from ._deleter import Deleter
from ._errors import AWSSNSSQSException, AWSSNSSQSInternalServiceError, QueueDoesNotExistError
from ._invoke import HandlerPlan, SkipMessage, UnparseableMessage

logger = logging.getLogger("tomodachi.awssnssqs")
handler_logger = logging.getLogger("tomodachi.awssnssqs.handler")
exception_logger = logging.getLogger("exception")

MAX_VISIBILITY = 43200
_RECEIVE_ATTRIBUTES = ["ApproximateReceiveCount", "MessageDeduplicationId", "MessageGroupId"]


@dataclass(frozen=True)
class ConsumerSettings:
    """How a consumer receives and retries.

    Args:
        wait_time: Long-poll time of a receive, in seconds (0..20).
        retry_initial: Backoff after a message's first failed receive, in seconds.
        retry_max: The longest backoff, in seconds (also used for unparseable messages).
        outage_initial: First pause after an endpoint error, in seconds; doubles up to ``outage_max``.
        outage_max: The longest pause between attempts while the endpoint fails.
    """

    wait_time: int = 20
    retry_initial: float = 1.0
    retry_max: float = 300.0
    outage_initial: float = 0.5
    outage_max: float = 10.0

    def backoff(self, receive_count: int | None) -> int:
        """The visibility timeout to give a message that failed on its ``receive_count``-th receive."""
        count = max(1, receive_count or 1)
        delay = min(self.retry_max, self.retry_initial * 2 ** min(count - 1, 30))
        return int(max(0, min(MAX_VISIBILITY, round(delay))))


class Consumer:
    """Consumes one handler's queue.

    Args:
        client: The shared AWS client.
        plan: The handler, ready to call.
        queue_url: The queue.
        visibility_timeout: The queue's visibility timeout, for heartbeats.
        dead_letter_queue_url: Where unparseable messages go; ``None`` when there is none.
        topic_prefix: Removed from topic names given to the handler.
        settings: Receive and retry settings.
        recover: Called when the queue has gone, to set it up again; returns the new queue URL.
        service: The service instance, named in the operational events.
        broker: The SQS endpoint, named in the ``connection.*`` events.
    """

    def __init__(
        self,
        client: Client,
        plan: HandlerPlan,
        queue_url: str,
        *,
        visibility_timeout: int,
        dead_letter_queue_url: str | None,
        topic_prefix: str,
        settings: ConsumerSettings,
        recover: Callable[[], Any],
        service: Any = None,
        broker: str = "sqs",
        max_receive_count: int | None = None,
    ) -> None:
        self.client = client
        self.plan = plan
        self.queue_url = queue_url
        self.visibility_timeout = visibility_timeout
        self.dead_letter_queue_url = dead_letter_queue_url
        self.topic_prefix = topic_prefix
        self.settings = settings
        self.recover = recover
        self.capacity = plan.spec.concurrency
        self.fifo = queue_url.endswith(".fifo")
        self.deleter = Deleter(client, queue_url)
        self.busy = 0
        self.running = 0  # handlers running now, and handled in all: the execution context's counters
        self.handled = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self._freed = asyncio.Event()
        self._receiver: asyncio.Task[None] | None = None
        self.service = service
        self.broker = broker
        self._endpoint_lost = False
        self.max_receive_count = max_receive_count

    @property
    def fields(self) -> dict[str, Any]:
        return {"handler": self.plan.spec.name, "queue_url": self.queue_url}

    def start(self) -> None:
        """Begin receiving."""
        self._receiver = asyncio.create_task(self._receive_loop(), name=f"sqs:{self.plan.spec.qualname}")
        self._emit("consumer.started")

    async def stop_receiving(self) -> None:
        """Receive no more; messages being handled go on."""
        receiver, self._receiver = self._receiver, None
        if receiver is not None:
            receiver.cancel()
            await asyncio.gather(receiver, return_exceptions=True)
            self._emit("consumer.stopped")

    def _emit(self, event: str) -> None:
        """Report an operational event (``tomodachi_middleware.emit``) about this queue's consumer."""
        emit(
            event,
            transport="aws_sns_sqs",
            service=self.service,
            broker=self.broker,
            queue=self.queue_url,
            handler=self.plan.spec.name,
        )

    async def _receive_loop(self) -> None:
        pause = 0.0
        while True:
            await self._await_slots()
            try:
                response = await self.client.call(
                    "sqs",
                    "receive_message",
                    QueueUrl=self.queue_url,
                    MaxNumberOfMessages=min(10, self.capacity - self.busy),
                    WaitTimeSeconds=self.settings.wait_time,
                    AttributeNames=_RECEIVE_ATTRIBUTES,
                    MessageAttributeNames=["All"],
                )
            except QueueDoesNotExistError:
                logger.warning("the queue has gone; setting it up again", extra=self.fields)
                pause = await self._outage(pause)
                try:
                    self.queue_url = await self.recover()
                    self.deleter = Deleter(self.client, self.queue_url)
                except AWSSNSSQSException as exc:
                    logger.warning(
                        "could not set the queue up again", extra={**self.fields, "error": str(exc)}
                    )
                continue
            except AWSSNSSQSException as exc:
                if not pause:
                    logger.warning(
                        "receiving messages failed; retrying until the endpoint answers",
                        extra={**self.fields, "error": str(exc)},
                    )
                if not self._endpoint_lost:
                    self._endpoint_lost = True
                    self._emit("connection.lost")
                pause = await self._outage(pause)
                continue
            except Exception as exc:  # a bug must not end the consumer
                logger.exception(
                    "unexpected error while receiving messages", extra={**self.fields, "error": str(exc)}
                )
                pause = await self._outage(pause)
                continue
            if pause:
                logger.info("receiving messages again", extra=self.fields)
                pause = 0.0
            if self._endpoint_lost:
                self._endpoint_lost = False
                self._emit("connection.restored")
            self._dispatch(response.get("Messages", []))

    async def _await_slots(self) -> None:
        """Wait until half the slots are free (at least one): never for the slowest message."""
        wanted = max(1, self.capacity // 2)
        while self.capacity - self.busy < min(wanted, self.capacity):
            self._freed.clear()
            await self._freed.wait()

    async def _outage(self, pause: float) -> float:
        pause = min(self.settings.outage_max, pause * 2 if pause else self.settings.outage_initial)
        await asyncio.sleep(pause)
        return pause

    def _dispatch(self, messages: list[dict[str, Any]]) -> None:
        if not messages:
            return
        self.busy += len(messages)
        if self.fifo:
            groups: dict[str, list[dict[str, Any]]] = {}
            for message in messages:
                group = (message.get("Attributes") or {}).get("MessageGroupId", "")
                groups.setdefault(group, []).append(message)
            for group_messages in groups.values():
                self._spawn(self._handle_group(group_messages))
        else:
            for message in messages:
                self._spawn(self._handle_one(message))

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def _release(self, count: int = 1) -> None:
        self.busy -= count
        self._freed.set()

    async def _handle_group(self, messages: list[dict[str, Any]]) -> None:
        # Every message of the group is kept invisible from its receive on, also while it waits its turn.
        heartbeats = [asyncio.create_task(self._heartbeat(message)) for message in messages]
        try:
            for index, message in enumerate(messages):
                ok = await self._handle_one(message, heartbeats[index])
                if not ok:
                    rest = messages[index + 1 :]
                    for waiting in heartbeats[index + 1 :]:
                        waiting.cancel()
                    for later in rest:  # order within the group: they come back after the failed one
                        await self._change_visibility(later, 0)
                    self._release(len(rest))
                    return
        finally:
            for heartbeat in heartbeats:
                heartbeat.cancel()
            await asyncio.gather(*heartbeats, return_exceptions=True)

    async def _handle_one(self, message: dict[str, Any], heartbeat: asyncio.Task[None] | None = None) -> bool:
        if heartbeat is None:
            heartbeat = asyncio.create_task(self._heartbeat(message))
        released = False
        try:
            done = await self._process(message)
            heartbeat.cancel()
            self._release()
            released = True
            if done:  # the slot is free while the delete waits for its batch
                await self.deleter.delete(message["ReceiptHandle"])
            return done
        finally:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)
            if not released:
                self._release()

    async def _process(self, message: dict[str, Any]) -> bool:
        """Run the handler; return whether the message is done with (to delete) or kept."""
        set_handler_context(
            "tomodachi.awssnssqs.handler", handler=self.plan.spec.name, type="tomodachi.awssnssqs"
        )
        self.running += 1
        self.handled += 1
        try:
            await self.plan.call(message, self.queue_url, self.topic_prefix)
        except SkipMessage:
            return True
        except UnparseableMessage as exc:
            await self._unparseable(message, exc)
            return False
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            exception_logger.error(f"uncaught exception: {exc}", exc_info=exc, extra=self.fields)
            keep = (
                isinstance(exc, AWSSNSSQSInternalServiceError) or not self.plan.spec.delete_message_on_error
            )
            if keep:
                count = int((message.get("Attributes") or {}).get("ApproximateReceiveCount") or 1)
                if self.dead_letter_queue_url and self.max_receive_count and count >= self.max_receive_count:
                    self._emit_message("message.dead_lettered", reason="attempts")
                else:
                    self._emit_message("message.retried")
                await self._change_visibility(message, self.settings.backoff(count))
                return False
            return True
        finally:
            self.running -= 1
        return True

    def _emit_message(self, event: str, **fields: Any) -> None:
        """Report a ``message.*`` operational event about a message of this queue."""
        emit(event, transport="aws_sns_sqs", service=self.service, queue=self.queue_url, **fields)

    async def _unparseable(self, message: dict[str, Any], exc: Exception) -> None:
        fields = {**self.fields, "sqs_message_id": message.get("MessageId"), "error": str(exc)}
        self._emit_message("message.unparseable")
        if self.dead_letter_queue_url:
            handler_logger.error("unparseable message moved to the dead-letter queue", extra=fields)
            params: dict[str, Any] = {
                "QueueUrl": self.dead_letter_queue_url,
                "MessageBody": message.get("Body", ""),
                "MessageAttributes": message.get("MessageAttributes") or {},
            }
            attributes = message.get("Attributes") or {}
            if self.dead_letter_queue_url.endswith(".fifo"):
                params["MessageGroupId"] = attributes.get("MessageGroupId", "unparseable")
                params["MessageDeduplicationId"] = (
                    attributes.get("MessageDeduplicationId") or message["MessageId"]
                )
            try:
                await self.client.call("sqs", "send_message", **params)
            except AWSSNSSQSException as error:
                logger.warning("could not move the message", extra={**fields, "error": str(error)})
            else:
                await self.deleter.delete(message["ReceiptHandle"])
                self._emit_message("message.dead_lettered", reason="unparseable")
                return
        else:
            handler_logger.error("unparseable message kept in the queue; no dead-letter queue", extra=fields)
        await self._change_visibility(message, self.settings.backoff(10**6))

    async def _change_visibility(self, message: dict[str, Any], seconds: int) -> None:
        try:
            await self.client.call(
                "sqs",
                "change_message_visibility",
                QueueUrl=self.queue_url,
                ReceiptHandle=message["ReceiptHandle"],
                VisibilityTimeout=seconds,
            )
        except AWSSNSSQSException as exc:
            logger.warning(
                "could not change the visibility of a message",
                extra={**self.fields, "sqs_message_id": message.get("MessageId"), "error": str(exc)},
            )

    async def _heartbeat(self, message: dict[str, Any]) -> None:
        period = self.visibility_timeout / 2
        if period < 1:
            return
        while True:
            await asyncio.sleep(period)
            await self._change_visibility(message, self.visibility_timeout)

    async def finish(self, grace_period: float) -> None:
        """Await the messages being handled for up to ``grace_period`` seconds; cancel the rest untouched."""
        if self.tasks:
            _, pending = await asyncio.wait(set(self.tasks), timeout=max(0.0, grace_period))
            for task in pending:
                task.cancel()
            if pending:
                logger.warning(
                    "handlers still running after the grace period were cancelled; their messages return "
                    "to the queue",
                    extra={**self.fields, "task_count": len(pending)},
                )
                await asyncio.gather(*pending, return_exceptions=True)
        await self.deleter.flush()
