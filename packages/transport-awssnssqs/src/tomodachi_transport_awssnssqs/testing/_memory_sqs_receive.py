"""The in-memory SQS's receiving side: long polls, visibility, deletes, redrive to dead-letter queues."""

from __future__ import annotations

import asyncio
from typing import Any

from ._memory_common import (
    check_params,
    client_error,
    md5_of,
    md5_of_attributes,
    timestamp_ms,
)
from ._memory_queue import (
    Queue,
    StoredMessage,
    pick_attributes,
)
from ._memory_sqs_core import _SYSTEM_ATTRIBUTES, SQSCore, _batch_entries, _each


class SQSReceive(SQSCore):
    """Receives, deletes and visibility changes."""

    # -- receiving

    async def receive_message(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "receive_message"
        check_params(
            operation,
            params,
            ["QueueUrl"],
            [
                "AttributeNames",
                "MessageSystemAttributeNames",
                "MessageAttributeNames",
                "MaxNumberOfMessages",
                "VisibilityTimeout",
                "WaitTimeSeconds",
                "ReceiveRequestAttemptId",
            ],
        )
        url = str(params["QueueUrl"])
        queue = self.queue(operation, url)
        limit = int(params.get("MaxNumberOfMessages", 1))
        if not 1 <= limit <= 10:
            reason = "Must be between 1 and 10, if provided."
            raise client_error(
                operation,
                "InvalidParameterValue",
                f"Value {limit} for parameter MaxNumberOfMessages is invalid. Reason: {reason}",
            )
        wait = params.get("WaitTimeSeconds")
        wait = queue.number("ReceiveMessageWaitTimeSeconds") if wait is None else int(wait)
        if not 0 <= wait <= 20:
            raise client_error(
                operation, "InvalidParameterValue", f"Value {wait} for parameter WaitTimeSeconds is invalid. "
                "Reason: Must be >= 0 and <= 20, if provided.",
            )  # fmt: skip
        visibility = params.get("VisibilityTimeout")
        if visibility is not None and not 0 <= int(visibility) <= 43200:
            raise client_error(
                operation,
                "InvalidParameterValue",
                f"Value {visibility} for parameter VisibilityTimeout is invalid.",
            )
        deadline = self.now() + wait
        while True:
            taken = self._take(queue, limit, visibility)
            now = self.now()
            if taken or now >= deadline:
                break
            change = queue.next_change(now)
            await self._wait(queue, deadline if change is None else min(deadline, change))
            queue = self.queue(operation, url)
        names = set(params.get("AttributeNames") or []) | set(params.get("MessageSystemAttributeNames") or [])
        messages = [self._render(m, queue, names, params.get("MessageAttributeNames")) for m in taken]
        return {"Messages": messages} if messages else {}

    async def _wait(self, queue: Queue, moment: float) -> None:
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        queue.waiters.add(wake)
        timer = asyncio.ensure_future(self._clock().sleep_until(moment))

        def done(_: object) -> None:
            if not wake.done():
                wake.set_result(None)

        timer.add_done_callback(done)
        try:
            await wake
        finally:
            queue.waiters.discard(wake)
            timer.cancel()  # not awaited: awaiting here could swallow a cancellation of the receive

    def _take(self, queue: Queue, limit: int, visibility: Any) -> list[StoredMessage]:
        now = self.now()
        queue.expire(now)
        taken: list[StoredMessage] = []
        redrive = queue.redrive()
        for message in queue.candidates(now):
            if len(taken) == limit:
                break
            if redrive is not None and message.receive_count >= redrive[1]:
                target = self.find(redrive[0])
                if target is not None and target.fifo == queue.fifo:
                    del queue.messages[message.message_id]
                    message.receipt, message.visible_at = None, now
                    message.source_queue_arn = queue.arn
                    target.messages[message.message_id] = message
                    target.notify()
                    continue
            taken.append(message)
        seconds = queue.number("VisibilityTimeout") if visibility is None else int(visibility)
        for message in taken:
            message.receive_count += 1
            if message.first_receive is None:
                message.first_receive = now
            message.visible_at = now + seconds
            queue.new_receipt(message)
        return taken

    @staticmethod
    def _render(
        message: StoredMessage, queue: Queue, names: set[str], attribute_names: Any
    ) -> dict[str, Any]:
        system = {
            "SenderId": message.sender_id,
            "SentTimestamp": timestamp_ms(message.sent),
            "ApproximateReceiveCount": str(message.receive_count),
            "ApproximateFirstReceiveTimestamp": timestamp_ms(message.first_receive or message.sent),
        }
        if message.group_id is not None:
            system["MessageGroupId"] = message.group_id
        if message.deduplication_id is not None:
            system["MessageDeduplicationId"] = message.deduplication_id
        if message.sequence_number is not None:
            system["SequenceNumber"] = message.sequence_number
        if message.source_queue_arn is not None:
            system["DeadLetterQueueSourceArn"] = message.source_queue_arn
        wanted = set(_SYSTEM_ATTRIBUTES) if "All" in names else names
        rendered: dict[str, Any] = {
            "MessageId": message.message_id,
            "ReceiptHandle": message.receipt,
            "MD5OfBody": md5_of(message.body),
            "Body": message.body,
        }
        attributes = {key: value for key, value in system.items() if key in wanted}
        if attributes:
            rendered["Attributes"] = attributes
        picked = pick_attributes(message.attributes, list(attribute_names or []))
        if picked:
            rendered["MD5OfMessageAttributes"] = md5_of_attributes(picked)
            rendered["MessageAttributes"] = {key: dict(value) for key, value in picked.items()}
        del queue
        return rendered

    # -- after receiving

    def _received(self, operation: str, queue: Queue, handle: Any) -> StoredMessage | None:
        """The message a receipt handle names while it is the latest; ``None`` when stale or gone."""
        message_id = queue.receipts.get(str(handle))
        if message_id is None:
            raise client_error(
                operation,
                "ReceiptHandleIsInvalid",
                f'The input receipt handle "{handle}" is not a valid receipt handle.',
            )
        message = queue.messages.get(message_id)
        if message is None or message.receipt != handle:
            return None
        return message

    def delete(self, operation: str, queue: Queue, handle: Any) -> None:
        message = self._received(operation, queue, handle)
        if message is not None:
            del queue.messages[message.message_id]
            queue.notify()

    def change_visibility(self, operation: str, queue: Queue, handle: Any, seconds: Any) -> None:
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 <= seconds <= 43200:
            raise client_error(
                operation,
                "InvalidParameterValue",
                f"Value {seconds} for parameter VisibilityTimeout is invalid.",
            )
        message = self._received(operation, queue, handle)
        now = self.now()
        if message is None or not message.in_flight(now):
            raise client_error(
                operation, "AWS.SimpleQueueService.MessageNotInflight", "Message does not exist or is not "
                "available for visibility timeout change.",
            )  # fmt: skip
        message.visible_at = now + seconds
        queue.notify()

    async def delete_message(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("delete_message", params, ["QueueUrl", "ReceiptHandle"])
        self.delete(
            "delete_message", self.queue("delete_message", params["QueueUrl"]), params["ReceiptHandle"]
        )
        return {}

    async def change_message_visibility(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "change_message_visibility"
        check_params(operation, params, ["QueueUrl", "ReceiptHandle", "VisibilityTimeout"])
        queue = self.queue(operation, params["QueueUrl"])
        self.change_visibility(operation, queue, params["ReceiptHandle"], params["VisibilityTimeout"])
        return {}

    async def delete_message_batch(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "delete_message_batch"
        check_params(operation, params, ["QueueUrl", "Entries"])
        queue = self.queue(operation, params["QueueUrl"])
        return _each(
            _batch_entries(operation, params["Entries"]),
            lambda entry: self.delete(operation, queue, entry.get("ReceiptHandle")),
        )

    async def change_message_visibility_batch(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "change_message_visibility_batch"
        check_params(operation, params, ["QueueUrl", "Entries"])
        queue = self.queue(operation, params["QueueUrl"])
        return _each(
            _batch_entries(operation, params["Entries"]),
            lambda entry: self.change_visibility(
                operation, queue, entry.get("ReceiptHandle"), entry.get("VisibilityTimeout")
            ),
        )
