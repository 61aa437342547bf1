"""AMQP messages per second: published and consumed by one process through the local RabbitMQ broker.

One process publishes N messages (5,000; 1,000 with ``--quick``) on a routing key and consumes them
from a queue bound to it, acking each; the clock runs from the first publish to the last message
handled. Publishing goes in batches of 100 concurrent publishes, the same for every implementation.

- ``ours``: a ``tomodachi.Service`` with a JsonBase envelope run by ``python -m tomodachi run
  --production``; ``tomodachi.amqp_publish`` waits for the broker's publisher confirm and the
  handler is acked when it returns (prefetch 100 per consumer, handled concurrently).
- ``tomodachi029``: the same service file under tomodachi 0.29 (no confirms; handlers one at a time).
- ``raw_aioamqp``: a bare aioamqp pair in one process, with the same JsonBase payloads (built once):
  ``basic_publish`` on one connection (no confirms), ``basic_consume`` with prefetch 100 on another,
  ``json.loads`` of each body and ``basic_client_ack``.

Case ``json_small`` (a ten-field dict, about 300 bytes on the wire). Metrics: ``messages_per_sec``
(best of 3 runs; 1 with ``--quick``) and ``publish_per_sec`` (publishing alone, in the same runs).
Each run uses its own routing key and queue, deleted afterwards; every subprocess is bounded in time.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from _convention import bench_main

NAME = "amqp_throughput"
IMPLS = ("ours", "raw_aioamqp", "tomodachi029")
BATCH = 100
RUN_SECONDS = 120.0
DATA = {
    "id": 1234,
    "name": "benchmark",
    "active": True,
    "score": 98.5,
    "tags": ["a", "b", "c"],
    "owner": "someone",
    "created": "2026-01-01T00:00:00Z",
    "count": 42,
    "ratio": 0.25,
    "note": "a short note",
}

SERVICE = """
import asyncio
import json
import time

import tomodachi
from tomodachi.envelope import JsonBase


N = {count}
KEY = {key!r}
BATCH = {batch}
DATA = {data!r}


class Service(tomodachi.Service):
    name = "bench-amqp"
    message_envelope = JsonBase
    options = tomodachi.Options(amqp={{"queue_name_prefix": {prefix!r}, "queue_ttl": 300}})
    received = 0
    started_at = 0.0
    publish_elapsed = 0.0

    @tomodachi.amqp(KEY, competing=True)
    async def handler(self, data):
        self.received += 1
        if self.received == N:
            asyncio.ensure_future(self.report(time.perf_counter() - self.started_at))

    async def report(self, elapsed):
        await self.published.wait()
        report = {{"elapsed": elapsed, "publish_elapsed": self.publish_elapsed}}
        print("BENCH " + json.dumps(report), flush=True)
        tomodachi.exit(0)

    async def _started_service(self):
        self.published = asyncio.Event()
        asyncio.ensure_future(self.publish_all())

    async def publish_all(self):
        await asyncio.sleep(0.5)
        self.started_at = time.perf_counter()
        for start in range(0, N, BATCH):
            size = min(BATCH, N - start)
            await asyncio.gather(*(tomodachi.amqp_publish(self, DATA, routing_key=KEY) for _ in range(size)))
        self.publish_elapsed = time.perf_counter() - self.started_at
        self.published.set()
"""


async def _delete_queues(prefix: str, names: list[str]) -> None:
    import aioamqp

    transport, protocol = await aioamqp.connect("127.0.0.1", 5672)
    channel = await protocol.channel()
    for name in names:
        await channel.queue_delete(f"{prefix}{name}")
    await protocol.close()
    transport.close()


def _competing_queue(key: str) -> str:
    import hashlib

    return hashlib.sha256(key.encode()).hexdigest()


def run_service(count: int) -> dict[str, float]:
    token = uuid.uuid4().hex[:10]
    key, prefix = f"bench.{token}", f"bench-{token}-"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench_amqp_service.py"
        path.write_text(SERVICE.format(count=count, key=key, batch=BATCH, data=DATA, prefix=prefix))
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOMODACHI_")}
        process = subprocess.Popen(
            [sys.executable, "-m", "tomodachi", "run", "--production", path.name],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, _ = process.communicate(timeout=RUN_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RuntimeError(
                f"the service did not handle {count} messages within {RUN_SECONDS:g}s"
            ) from None
        finally:
            queue = _competing_queue(key)
            retry = [f"{queue}.retry.{ms}" for ms in (1000, 2000, 4000, 8000)]
            asyncio.run(_delete_queues(prefix, [queue, f"{queue}.dlq", *retry]))
    for line in stdout.splitlines():
        if line.startswith("BENCH "):
            report: dict[str, float] = json.loads(line[6:])
            return report
    raise RuntimeError(f"the service exited with {process.returncode} without a report")


async def _raw_pair(count: int) -> dict[str, float]:
    import aioamqp

    from tomodachi_envelope import JsonBase, ServiceIdentity

    token = uuid.uuid4().hex[:10]
    key, queue = f"bench.{token}", f"bench-{token}-raw"
    sender = ServiceIdentity("bench-raw", str(uuid.uuid4()))
    payloads = [JsonBase.build_message(sender, key, DATA).encode() for _ in range(count)]
    consumer_transport, consumer = await aioamqp.connect("127.0.0.1", 5672)
    publisher_transport, publisher = await aioamqp.connect("127.0.0.1", 5672)
    try:
        channel = await consumer.channel()
        await channel.basic_qos(prefetch_count=100, prefetch_size=0, connection_global=False)
        await channel.queue_declare(queue, durable=True, arguments={"x-expires": 300000})
        await channel.queue_bind(queue, "amq.topic", key)
        done = asyncio.get_running_loop().create_future()
        received = 0

        async def on_message(channel: Any, body: bytes, envelope: Any, properties: Any) -> None:
            nonlocal received
            json.loads(body)
            await channel.basic_client_ack(envelope.delivery_tag)
            received += 1
            if received == count and not done.done():
                done.set_result(time.perf_counter())

        await channel.basic_consume(on_message, queue_name=queue)
        publish_channel = await publisher.channel()
        started = time.perf_counter()
        for start in range(0, count, BATCH):
            batch = payloads[start : start + BATCH]
            await asyncio.gather(*(publish_channel.basic_publish(p, "amq.topic", key) for p in batch))
        publish_elapsed = time.perf_counter() - started
        finished = await asyncio.wait_for(done, RUN_SECONDS)
        await channel.queue_delete(queue)
        return {"elapsed": finished - started, "publish_elapsed": publish_elapsed}
    finally:
        for protocol, transport in ((consumer, consumer_transport), (publisher, publisher_transport)):
            await protocol.close()
            transport.close()


def hold_broker() -> int:
    """Hold the local broker shared, as the tests do, so that no test restarts it meanwhile.

    The lock file is ``tomodachi_transport_amqp.testing.BROKER_LOCK_PATH`` (written out here: the
    script also runs where that library is not installed). Released when the process exits.
    """
    import fcntl

    descriptor = os.open(
        os.path.join(tempfile.gettempdir(), "tomodachi-amqp-broker-tests.lock"), os.O_CREAT | os.O_RDWR
    )
    deadline = time.monotonic() + 300
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return descriptor
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise TimeoutError("the broker lock was not free within 300 s") from None
            time.sleep(0.2)


def measure(impl: str, quick: bool) -> dict[str, Any]:
    hold_broker()
    count = 1000 if quick else 5000
    result: dict[str, Any] = {"name": "json_small", "impl": impl, "messages": count}
    best: dict[str, float] | None = None
    try:
        for _ in range(1 if quick else 3):
            report = asyncio.run(_raw_pair(count)) if impl == "raw_aioamqp" else run_service(count)
            if best is None or report["elapsed"] < best["elapsed"]:
                best = report
    except Exception as exc:
        return {**result, "error": f"{type(exc).__name__}: {exc}"}
    assert best is not None
    result["messages_per_sec"] = round(count / best["elapsed"], 1)
    result["publish_per_sec"] = round(count / best["publish_elapsed"], 1)
    return result


if __name__ == "__main__":
    sys.exit(bench_main(IMPLS, __doc__, "fewer messages, one run", measure))
