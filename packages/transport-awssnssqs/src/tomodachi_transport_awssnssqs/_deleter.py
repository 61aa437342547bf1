"""Batched deletes: messages finished within a few milliseconds of each other share one request."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from ._client import Client
from ._errors import AWSSNSSQSException

logger = logging.getLogger("tomodachi.awssnssqs")

BATCH_SIZE = 10
ATTEMPTS = 3


class Deleter:
    """Deletes messages of one queue with ``DeleteMessageBatch``.

    Args:
        client: The SQS client.
        queue_url: The queue.
        delay: How long a delete waits for others to join its batch, in seconds; a client with a
            ``delete_batch_delay`` attribute (an in-memory fake, where a request costs nothing) sets it.
    """

    def __init__(self, client: Client, queue_url: str, delay: float = 0.1) -> None:
        self.client = client
        self.queue_url = queue_url
        self.delay: float = getattr(client, "delete_batch_delay", delay)
        self._pending: list[tuple[str, asyncio.Future[bool]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()

    async def delete(self, receipt_handle: str) -> bool:
        """Delete one message; return whether SQS confirmed it (failures are logged)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending.append((receipt_handle, future))
        if len(self._pending) >= BATCH_SIZE:
            self._flush_now()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self.delay, self._flush_now)
        return await asyncio.shield(future)

    def _flush_now(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending[:BATCH_SIZE], self._pending[BATCH_SIZE:]
        if self._pending:
            self._timer = asyncio.get_running_loop().call_later(0, self._flush_now)
        if batch:
            task = asyncio.create_task(self._send(batch))
            self._flushes.add(task)
            task.add_done_callback(self._flushes.discard)

    async def _send(self, batch: list[tuple[str, asyncio.Future[bool]]]) -> None:
        entries = {str(i): (handle, future) for i, (handle, future) in enumerate(batch)}
        for attempt in range(ATTEMPTS):
            try:
                response: dict[str, Any] = await self.client.call(
                    "sqs",
                    "delete_message_batch",
                    QueueUrl=self.queue_url,
                    Entries=[{"Id": key, "ReceiptHandle": handle} for key, (handle, _) in entries.items()],
                )
            except AWSSNSSQSException as exc:
                if attempt == ATTEMPTS - 1:
                    logger.warning(
                        "unable to delete messages; they will be delivered again",
                        extra={"queue_url": self.queue_url, "error": str(exc), "count": len(entries)},
                    )
                    break
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            for item in response.get("Successful", []):
                _, future = entries.pop(item["Id"])
                if not future.done():
                    future.set_result(True)
            for item in response.get("Failed", []):
                logger.warning(
                    "unable to delete message; it will be delivered again",
                    extra={"queue_url": self.queue_url, "error": item.get("Message", item.get("Code"))},
                )
            break
        for _, future in entries.values():
            if not future.done():
                future.set_result(False)

    async def flush(self) -> None:
        """Send what is pending and await every batch in flight."""
        self._flush_now()
        while self._flushes or self._pending:
            if self._pending:
                self._flush_now()
            await asyncio.gather(*list(self._flushes), return_exceptions=True)
