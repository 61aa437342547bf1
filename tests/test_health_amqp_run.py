"""``tomodachi run`` with an AMQP consumer and the health endpoints: readiness through a broker outage."""

from __future__ import annotations

import asyncio
import json
import signal
import uuid
from pathlib import Path

from health_probe import config, free_port, probe, wait_status
from tomodachi_process import Processes

from tomodachi_transport_amqp._client import Settings, connect
from tomodachi_transport_amqp.testing import broker_lock, rabbitmqctl


async def delete_queues(prefix: str) -> None:
    listed = json.loads(await rabbitmqctl("list_queues", "-q", "--formatter", "json", "name"))
    connection = await connect(Settings())
    channel = await connection.channel()
    for queue in listed:
        if queue["name"].startswith(prefix):
            await channel.delete_queue(queue["name"])
    await connection.close()


async def test_readiness_is_503_while_the_broker_is_away_and_200_again_after_the_consumer_reconnects(
    processes: Processes, tmp_path: Path
) -> None:
    token = uuid.uuid4().hex[:12]
    prefix = f"e2e-{token}-"
    port = free_port()
    ready = f"http://127.0.0.1:{port}/health/ready"
    options = {"health": {"enabled": True, "port": port, "host": "127.0.0.1"}}
    async with broker_lock(exclusive=True):  # the test stops the broker's application
        worker = processes.start(
            "run",
            "--production",
            "-c",
            config(tmp_path, options),
            "amqp_worker.py",
            env={"AMQP_KEY": f"e2e.{token}", "AMQP_PREFIX": prefix},
        )
        try:
            await asyncio.to_thread(wait_status, ready, 200, worker)
            await rabbitmqctl("stop_app")
            _, body = await asyncio.to_thread(wait_status, ready, 503, worker)
            assert body == {
                "status": "not ready",
                "reasons": ["amqp connection to 127.0.0.1:5672 lost (service 'amqp-worker')"],
            }
            assert probe(f"http://127.0.0.1:{port}/health/live") == (200, {"status": "alive"})
        finally:
            await rabbitmqctl("start_app")
        assert await asyncio.to_thread(wait_status, ready, 200, worker, 60.0) == (200, {"status": "ready"})
        worker.wait_for("reconnected to the broker and resumed consuming")
        worker.send(signal.SIGTERM)
        assert await asyncio.to_thread(worker.wait) == 0
        await delete_queues(prefix)
