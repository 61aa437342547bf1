"""The in-memory SQS's core: queue lookups and sending (SendMessage, batches, FIFO deduplication)."""

from __future__ import annotations

import hashlib
import itertools
import re
import uuid
from collections.abc import Callable
from typing import Any

from ._memory_clock import Clock
from ._memory_common import (
    MAX_MESSAGE_BYTES,
    NON_EXISTENT_QUEUE,
    check_params,
    client_error,
    md5_of,
    md5_of_attributes,
    message_size,
    validate_attributes,
)
from ._memory_queue import (
    DEDUPLICATION_WINDOW,
    Queue,
    StoredMessage,
)

_QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_INVALID_BODY = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SYSTEM_ATTRIBUTES = (
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
    "MessageDeduplicationId",
    "MessageGroupId",
    "SequenceNumber",
    "DeadLetterQueueSourceArn",
)
_sequence = itertools.count(10_000_000_000_000_000_000)


def next_sequence_number() -> str:
    """A sequence number of a FIFO message: increasing, 20 digits or more."""
    return str(next(_sequence))


class SQSCore:
    """The queues of one account in one region.

    Args:
        clock: The time of visibility timeouts, delays and timestamps.
        region: The region in URLs and ARNs.
        account: The account id in URLs and ARNs.
    """

    def __init__(self, clock: Callable[[], Clock], region: str, account: str) -> None:
        self._clock = clock
        self.region = region
        self.account = account
        self.queues: dict[str, Queue] = {}

    def now(self) -> float:
        return self._clock().time()

    # -- lookups

    def find(self, reference: str) -> Queue | None:
        """The queue with this name, URL or ARN, if it exists."""
        name = reference.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        queue = self.queues.get(name)
        if queue is None:
            return None
        if reference.startswith("arn:") and reference != queue.arn:
            return None
        return queue

    def queue(self, operation: str, reference: str) -> Queue:
        queue = self.find(reference)
        if queue is None:
            raise client_error(operation, NON_EXISTENT_QUEUE, "The specified queue does not exist.")
        return queue

    # -- queues
    # -- sending

    def enqueue(
        self,
        operation: str,
        queue: Queue,
        body: str,
        attributes: Any,
        *,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        delay: int | None = None,
        message_id: str | None = None,
    ) -> dict[str, Any]:
        """Check and store one message; return SendMessage's answer (the first id for a duplicate)."""
        code = "InvalidParameterValue"
        attributes = validate_attributes(operation, attributes, code, allow=("String", "Number", "Binary"))
        if not isinstance(body, str) or body == "":
            raise client_error(
                operation, "MissingParameter", "The request must contain the parameter MessageBody."
            )
        if _INVALID_BODY.search(body):
            raise client_error(
                operation, "InvalidMessageContents", "Invalid characters found in the message body."
            )
        limit = min(queue.number("MaximumMessageSize"), MAX_MESSAGE_BYTES)
        if message_size(body, attributes) > limit:
            raise client_error(
                operation,
                code,
                f"One or more parameters are invalid. Reason: Message must be shorter than {limit} bytes.",
            )
        if delay is not None and not 0 <= int(delay) <= 900:
            raise client_error(operation, code, f"Value {delay} for parameter DelaySeconds is invalid.")
        now = self.now()
        queue.expire(now)
        sequence: str | None = None
        scope = (group_id or "") if queue.attributes.get("DeduplicationScope") == "messageGroup" else ""
        if queue.fifo:
            if not group_id:
                raise client_error(
                    operation, "MissingParameter", "The request must contain the parameter MessageGroupId."
                )
            if delay:
                reason = "The request include parameter that is not valid for this queue type."
                raise client_error(
                    operation, code, f"Value for parameter DelaySeconds is invalid. Reason: {reason}"
                )
            if not deduplication_id:
                if queue.attributes.get("ContentBasedDeduplication") != "true":
                    raise client_error(
                        operation, code, "The queue should either have ContentBasedDeduplication enabled or "
                        "MessageDeduplicationId provided explicitly",
                    )  # fmt: skip
                deduplication_id = hashlib.sha256(body.encode()).hexdigest()
            seen = queue.deduplication.get((scope, deduplication_id))
            if seen is not None:
                return self._sent(seen[0], body, attributes, next_sequence_number())
            sequence = next_sequence_number()
        elif deduplication_id:
            reason = "The request include parameter that is not valid for this queue type."
            raise client_error(
                operation, code, f"Value for parameter MessageDeduplicationId is invalid. Reason: {reason}"
            )
        wait = queue.number("DelaySeconds") if delay is None else int(delay)
        stored = StoredMessage(
            message_id=message_id or str(uuid.uuid4()),
            body=body,
            attributes=attributes,
            sent=now,
            visible_at=now + wait,
            sender_id=f"AIDA{self.account}",
            group_id=group_id,
            deduplication_id=deduplication_id if queue.fifo else None,
            sequence_number=sequence,
        )
        if queue.fifo:
            queue.deduplication[(scope, str(deduplication_id))] = (
                stored.message_id,
                now + DEDUPLICATION_WINDOW,
            )
        queue.messages[stored.message_id] = stored
        queue.notify()
        return self._sent(stored.message_id, body, attributes, sequence)

    @staticmethod
    def _sent(message_id: str, body: str, attributes: dict[str, Any], sequence: str | None) -> dict[str, Any]:
        response: dict[str, Any] = {"MessageId": message_id, "MD5OfMessageBody": md5_of(body)}
        if attributes:
            response["MD5OfMessageAttributes"] = md5_of_attributes(attributes)
        if sequence is not None:
            response["SequenceNumber"] = sequence
        return response

    async def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "send_message"
        check_params(
            operation,
            params,
            ["QueueUrl", "MessageBody"],
            [
                "DelaySeconds",
                "MessageAttributes",
                "MessageSystemAttributes",
                "MessageDeduplicationId",
                "MessageGroupId",
            ],
        )
        queue = self.queue(operation, str(params["QueueUrl"]))
        return self.enqueue(
            operation,
            queue,
            params["MessageBody"],
            params.get("MessageAttributes"),
            group_id=params.get("MessageGroupId"),
            deduplication_id=params.get("MessageDeduplicationId"),
            delay=params.get("DelaySeconds"),
        )

    async def send_message_batch(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "send_message_batch"
        check_params(operation, params, ["QueueUrl", "Entries"])
        queue = self.queue(operation, str(params["QueueUrl"]))
        entries = _batch_entries(operation, params["Entries"])
        successful: list[dict[str, Any]] = []
        failed: list[dict[str, Any]] = []
        for entry in entries:
            try:
                sent = self.enqueue(
                    operation,
                    queue,
                    entry.get("MessageBody", ""),
                    entry.get("MessageAttributes"),
                    group_id=entry.get("MessageGroupId"),
                    deduplication_id=entry.get("MessageDeduplicationId"),
                    delay=entry.get("DelaySeconds"),
                )
            except Exception as exc:
                failed.append(_failure(entry["Id"], exc))
            else:
                successful.append({"Id": entry["Id"], **sent})
        return {"Successful": successful, "Failed": failed}


def _batch_entries(operation: str, given: Any) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = list(given or [])
    if not entries:
        raise client_error(
            operation,
            "AWS.SimpleQueueService.EmptyBatchRequest",
            "There should be at least one entry in the request.",
        )
    if len(entries) > 10:
        reason = f"Maximum number of entries per request are 10. You have sent {len(entries)}."
        raise client_error(operation, "AWS.SimpleQueueService.TooManyEntriesInBatchRequest", reason)
    ids = [str(entry.get("Id")) for entry in entries]
    if len(set(ids)) != len(ids):
        raise client_error(
            operation, "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Two or more batch entries in the "
            "request have the same Id.",
        )  # fmt: skip
    return entries


def _failure(entry_id: str, exc: Exception) -> dict[str, Any]:
    code = str(getattr(exc, "code", "") or "InternalError")
    return {"Id": entry_id, "SenderFault": True, "Code": code, "Message": str(exc)}


def _each(entries: list[dict[str, Any]], action: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    successful: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for entry in entries:
        try:
            action(entry)
        except Exception as exc:
            failed.append(_failure(entry["Id"], exc))
        else:
            successful.append({"Id": entry["Id"]})
    return {"Successful": successful, "Failed": failed}
