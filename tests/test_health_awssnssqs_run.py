"""``tomodachi run`` with an SNS+SQS consumer and health endpoints: readiness through an endpoint outage."""

from __future__ import annotations

import asyncio
import signal
import uuid
from pathlib import Path

from health_probe import config, free_port, probe, wait_status
from tomodachi_process import Processes

from tomodachi_transport_awssnssqs.testing import moto_server


async def test_readiness_is_503_while_the_sqs_endpoint_is_away_and_200_again_once_it_answers(
    processes: Processes, tmp_path: Path
) -> None:
    moto_port, port = free_port(), free_port()
    ready = f"http://127.0.0.1:{port}/health/ready"
    options = {"health": {"enabled": True, "port": port, "host": "127.0.0.1"}}
    topic = f"e2e-health-{uuid.uuid4().hex[:8]}"
    with moto_server(port=moto_port) as url:
        worker = processes.start(
            "run",
            "--production",
            "-c",
            config(tmp_path, options),
            "awssnssqs_worker.py",
            env={"SNS_SQS_URL": url, "SNS_SQS_TOPIC": topic},
        )
        assert await asyncio.to_thread(wait_status, ready, 200, worker, 30.0) == (200, {"status": "ready"})
    _, body = await asyncio.to_thread(wait_status, ready, 503, worker, 30.0)
    assert body["status"] == "not ready"
    [reason] = body["reasons"]
    assert reason.startswith(f"aws_sns_sqs connection to {url} lost (service 'awssnssqs-worker', queue '")
    assert probe(f"http://127.0.0.1:{port}/health/live") == (200, {"status": "alive"})
    with moto_server(port=moto_port):
        assert await asyncio.to_thread(wait_status, ready, 200, worker, 60.0) == (200, {"status": "ready"})
        worker.send(signal.SIGTERM)
        assert await asyncio.to_thread(worker.wait) == 0
