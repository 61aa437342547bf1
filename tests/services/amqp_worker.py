"""An AMQP consumer configured by environment variables, printing what it handles.

AMQP_KEY: routing key; AMQP_PREFIX: queue name prefix; AMQP_COMPETING: "0" for a queue of its own;
AMQP_SLEEP: seconds each message takes; AMQP_PORT: broker port; AMQP_REPLY: a routing key to
publish each handled message's data to; AMQP_FAIL_EVERY: N to fail every Nth call (retried after
0.1 s, 0.2 s...).
"""

import asyncio
import os
from typing import Any

import tomodachi
from tomodachi.envelope import JsonBase
from tomodachi_transport_amqp import RetryPolicy

KEY = os.environ.get("AMQP_KEY", "amqp.worker")
SLEEP = float(os.environ.get("AMQP_SLEEP", "0"))
REPLY = os.environ.get("AMQP_REPLY", "")
FAIL_EVERY = int(os.environ.get("AMQP_FAIL_EVERY", "0"))
RETRY = RetryPolicy(attempts=5, delay=0.1, factor=2.0)


async def count_middleware(func: Any, service: Any, message: Any, routing_key: str) -> Any:
    service.seen += 1
    return await func(seen=service.seen)


class Worker(tomodachi.Service):
    name = "amqp-worker"
    message_envelope = JsonBase
    message_middleware = [count_middleware]
    options = tomodachi.Options(
        amqp={
            "queue_name_prefix": os.environ.get("AMQP_PREFIX", ""),
            "port": int(os.environ.get("AMQP_PORT", "5672")),
            "queue_ttl": 300,
        }
    )
    seen = 0
    calls = 0

    @tomodachi.amqp(KEY, competing=os.environ.get("AMQP_COMPETING", "1") != "0", retry_policy=RETRY)
    async def handle(self, data: Any, routing_key: str, seen: int) -> None:
        print(f"started {data}", flush=True)
        self.calls += 1
        if FAIL_EVERY and self.calls % FAIL_EVERY == 0:
            raise RuntimeError(f"failing call {self.calls}")
        if SLEEP:
            await asyncio.sleep(SLEEP)
        if REPLY:
            await tomodachi.amqp_publish(self, data, routing_key=REPLY)
        print(f"handled {data} pid={os.getpid()} routing_key={routing_key} seen={seen}", flush=True)
