"""Publishing with publisher confirms over a connection of its own, reconnecting when it drops.

One ``Publisher`` per event loop and connection settings is shared by ``amqp_publish`` and by the
consumers' retry and dead-letter copies: a publish returns once the broker has acked the message.
While the broker is away a publish waits and retries, with growing pauses, for up to its
``retry_for`` seconds, then raises ``AmqpPublishError``.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping
from typing import Any

from ._client import Channel, Connection, connect
from ._errors import AmqpChannelClosed, AmqpConnectionException, AmqpPublishError
from ._values import Settings

logger = logging.getLogger("tomodachi.amqp")

PUBLISH_RETRY_SECONDS = 30.0
"""How long a publish keeps trying while the broker is away, by default."""

CONFIRM_TIMEOUT = 10.0
"""How long one attempt waits for the broker's confirm."""

_FIRST_PAUSE = 0.1
_LONGEST_PAUSE = 3.0


class Publisher:
    """A confirm channel on a connection of its own, opened on first use and after a loss.

    Args:
        settings: Where to connect.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._connection: Connection | None = None
        self._channel: Channel | None = None
        self._lock = asyncio.Lock()
        self._closed = False

    async def _ready_channel(self) -> Channel:
        channel = self._channel
        if (
            channel is not None
            and channel.is_open
            and self._connection is not None
            and self._connection.is_open
        ):
            return channel
        async with self._lock:
            channel = self._channel
            if (
                channel is not None
                and channel.is_open
                and self._connection is not None
                and self._connection.is_open
            ):
                return channel
            await self._drop()
            self._connection = await connect(self.settings, name=f"tomodachi publisher pid={os.getpid()}")
            self._channel = await self._connection.channel(confirms=True)
            return self._channel

    async def _drop(self) -> None:
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None:
            await connection.close(wait=1.0)

    async def publish(
        self,
        body: bytes,
        exchange: str,
        routing_key: str,
        properties: Mapping[str, Any] | None = None,
        *,
        retry_for: float = PUBLISH_RETRY_SECONDS,
    ) -> None:
        """Publish ``body`` and wait for the broker's confirm.

        Args:
            body: The message body.
            exchange: The exchange (``""`` for the default exchange, straight to a queue).
            routing_key: The routing key (or the queue's name on the default exchange).
            properties: AMQP properties (``headers``, ``delivery_mode``, ``expiration``, ...).
            retry_for: Seconds to keep trying while the broker cannot be reached.

        Raises:
            AmqpPublishError: no confirm within ``retry_for`` seconds; the last error is its cause.
            AmqpChannelClosed: the broker refused the publish (an exchange that does not exist).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + retry_for
        pause = _FIRST_PAUSE
        attempt = 0
        while True:
            attempt += 1
            try:
                channel = await self._ready_channel()
                await channel.publish(body, exchange, routing_key, properties, CONFIRM_TIMEOUT)
                return
            except AmqpChannelClosed as exc:
                if exc.reply_code in (403, 404):
                    async with self._lock:
                        await self._drop()
                    raise
                error: Exception = exc
            except (AmqpConnectionException, TimeoutError) as exc:
                error = exc
            if self._closed or loop.time() + pause > deadline:
                raise AmqpPublishError(
                    f"could not publish to exchange {exchange!r} with routing key {routing_key!r} on "
                    f"amqp://{self.settings.address}{self.settings.virtualhost} after {attempt} attempts "
                    f"in {retry_for:g}s: {error}"
                ) from error
            logger.warning(
                "publish failed, retrying",
                extra={
                    "exchange_name": exchange,
                    "routing_key": routing_key,
                    "attempt": attempt,
                    "error": repr(error),
                },
            )
            async with self._lock:
                await self._drop()
            await asyncio.sleep(pause)
            pause = min(pause * 2, _LONGEST_PAUSE)

    async def close(self) -> None:
        """Close the connection; a later publish opens a new one."""
        async with self._lock:
            await self._drop()


_PUBLISHERS: dict[tuple[asyncio.AbstractEventLoop, Settings], Publisher] = {}


def publisher_for(settings: Settings) -> Publisher:
    """Return the running loop's publisher for ``settings``, created on first use."""
    key = (asyncio.get_running_loop(), settings)
    publisher = _PUBLISHERS.get(key)
    if publisher is None:
        for other in [k for k in _PUBLISHERS if k[0].is_closed()]:
            del _PUBLISHERS[other]
        publisher = _PUBLISHERS[key] = Publisher(settings)
    return publisher


async def close_publishers() -> None:
    """Close the running loop's publishers (their connections); later publishes reconnect.

    Scripts that publish with ``amqp_publish`` call it before their loop ends.
    """
    loop = asyncio.get_running_loop()
    for key in [k for k in _PUBLISHERS if k[0] is loop]:
        await _PUBLISHERS.pop(key).close()
