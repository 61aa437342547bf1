"""SNS+SQS throughput: messages published to a topic and handled from its queue, on a moto server.

A service (written to a temporary directory, the same file for both implementations) subscribes a
competing queue to a topic; its handler sleeps a random 0-100 ms and one message middleware passes each
call through. It runs under ``python -m tomodachi run --production`` with each implementation's
interpreter. Cases (300 messages each, 100 with ``--quick``), each on a fresh moto server:

- ``publish_consume``: the service starts (and sets up the topic, its queue and the subscription); once it
  is ready, this script publishes the messages (JsonBase envelopes, 20 publishes in flight, with
  aiobotocore directly, so publishing costs the same for both) while the service consumes them. Publishing
  to moto's SNS is the slowest part, so this case is capped by it.
- ``drain_backlog``: this script creates the topic and the queue the service consumes (``sha256(topic)``,
  the name both implementations give a competing queue), subscribes it and publishes every message first;
  the service then starts and drains the queue. moto's receive scans the whole queue on each call, so
  this case is capped by moto's receive.

Metrics, from the service's ready line until it printed that it handled the last message:
- ``messages_per_sec``: messages over that wall time;
- ``cpu_us_per_message``: the service process's CPU time (user + system, from ``/proc/<pid>/stat``) over
  that time, per message: the receive, parse, middleware, handler and delete path.

The moto server runs from the development venv (``NEEDS_DEV_VENV``), on a free loopback port, one per
implementation run. Implementations: ``ours`` (our facade) and ``tomodachi029`` (tomodachi 0.29.0).
"""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from _convention import bench_main

NEEDS_DEV_VENV = True
IMPLS = ("ours", "tomodachi029")
CASES = ("publish_consume", "drain_backlog")
ROOT = Path(__file__).resolve().parent.parent
DEV_PYTHON = ROOT / ".venv" / "bin" / "python"
TIMEOUT = 180.0
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
}

SERVICE = """
import asyncio
import os
import random

import tomodachi
from tomodachi.envelope import JsonBase


URL = os.environ["BENCH_URL"]
COUNT = int(os.environ["BENCH_COUNT"])


async def passthrough(func, service, message, topic):
    return await func()


class BenchService(tomodachi.Service):
    name = "bench-awssnssqs"
    message_envelope = JsonBase
    message_middleware = [passthrough]
    options = tomodachi.Options(
        aws_sns_sqs={
            "region_name": "us-east-1",
            "aws_access_key_id": "bench",
            "aws_secret_access_key": "bench",
        },
        aws_endpoint_urls={"sns": URL, "sqs": URL},
    )
    handled = 0

    @tomodachi.aws_sns_sqs(os.environ["BENCH_TOPIC"], competing=True)
    async def handle(self, data):
        await asyncio.sleep(random.random() * 0.1)
        self.handled += 1
        if self.handled == COUNT:
            print("bench all handled", flush=True)

    async def _started_service(self):
        print("bench ready", flush=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [str(DEV_PYTHON), "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
                return process, url
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("moto server did not start") from None
            time.sleep(0.1)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Service:
    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tomodachi", "run", "--production", "service.py"],
            cwd=folder,
            env={**os.environ, **CREDENTIALS, "PYTHONUNBUFFERED": "1", **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    async def wait_for(self, text: str, deadline: float) -> None:
        while not any(text in line for line in self.lines):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"the service never printed {text!r}")
            await asyncio.sleep(0.005)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def aws_client(session: Any, service: str, url: str) -> Any:
    return session.create_client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


async def subscribe_queue(url: str, topic: str) -> None:
    """Create the topic and the competing queue both implementations consume (``sha256(topic)``)."""
    from aiobotocore.session import get_session  # type: ignore[import-untyped]

    session = get_session()
    async with aws_client(session, "sns", url) as sns, aws_client(session, "sqs", url) as sqs:
        arn = (await sns.create_topic(Name=topic))["TopicArn"]
        queue_url = (await sqs.create_queue(QueueName=hashlib.sha256(topic.encode()).hexdigest()))["QueueUrl"]
        attributes = await sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        await sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=attributes["Attributes"]["QueueArn"])


async def publish_all(url: str, topic: str, count: int) -> None:
    from aiobotocore.session import get_session

    json_base: Any = importlib.import_module("tomodachi.envelope").JsonBase

    class Sender:
        name, uuid = "bench-sender", "bench"

    session = get_session()
    async with aws_client(session, "sns", url) as sns:
        arn = (await sns.create_topic(Name=topic))["TopicArn"]
        gate = asyncio.Semaphore(20)

        async def one(number: int) -> None:
            async with gate:
                payload = await json_base.build_message(Sender(), topic, {"n": number, "pad": "x" * 100})
                await sns.publish(TopicArn=arn, Message=payload, MessageAttributes={})

        await asyncio.gather(*(one(number) for number in range(count)))


async def run_service(
    folder: Path, env: dict[str, str], publish: Callable[[], Awaitable[None]] | None = None
) -> tuple[float, float]:
    """Start the service; once ready, publish (if given); return wall and CPU seconds until all handled."""
    service = Service(folder, env)
    try:
        deadline = time.monotonic() + TIMEOUT
        await service.wait_for("bench ready", deadline)
        cpu_before = cpu_seconds(service.process.pid)
        started = time.monotonic()
        if publish is not None:
            await publish()
        await service.wait_for("bench all handled", deadline)
        return time.monotonic() - started, cpu_seconds(service.process.pid) - cpu_before
    finally:
        service.stop()


async def measure(impl: str, case: str, count: int) -> dict[str, Any]:
    moto, url = start_moto()
    topic = f"bench-{uuid.uuid4().hex[:8]}"
    env = {"BENCH_URL": url, "BENCH_TOPIC": topic, "BENCH_COUNT": str(count)}
    try:
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "service.py").write_text(SERVICE)
            if case == "publish_consume":
                elapsed, cpu = await run_service(Path(folder), env, lambda: publish_all(url, topic, count))
            else:
                await subscribe_queue(url, topic)
                await publish_all(url, topic, count)
                elapsed, cpu = await run_service(Path(folder), env)
    finally:
        moto.terminate()
        moto.wait(10)
    return {
        "name": case,
        "impl": impl,
        "messages_per_sec": round(count / elapsed, 1),
        "cpu_us_per_message": round(cpu / count * 1e6, 1),
        "messages": count,
    }


def run_impl(impl: str, quick: bool) -> list[dict[str, Any]]:
    random.seed(1)
    count = 100 if quick else 300
    results = []
    for case in CASES:
        try:
            result = asyncio.run(measure(impl, case, count))
        except Exception as exc:
            result = {"name": case, "impl": impl, "error": f"{type(exc).__name__}: {exc}"}
        results.append(result)
    return results


if __name__ == "__main__":
    sys.exit(bench_main(IMPLS, __doc__, "100 messages instead of 300", run_impl))
