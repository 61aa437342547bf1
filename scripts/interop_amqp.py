"""Messages between a service on this library and one on tomodachi 0.29, both ways, over RabbitMQ.

Runs ``scripts/interop/amqp_service.py`` twice with ``tomodachi run``: once on this library (the
development venv) and once on tomodachi 0.29 in a venv of its own (``bench/.venv-tomodachi029`` when
it exists, else ``build/interop/venv029``, created here with ``tomodachi==0.29.0`` and protobuf).
A JsonBase and a ProtobufBase message then go back and forth: this library publishes hop 0 to the
0.29 service, which sends hop 1 to ours, which sends hop 2 to 0.29, which sends hop 3 to ours. Exits
with 1 when any hop is missing. The queues it made are deleted at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from google.protobuf.wrappers_pb2 import StringValue

from tomodachi_envelope import JsonBase, ProtobufBase
from tomodachi_transport_amqp import amqp_publish, close_publishers
from tomodachi_transport_amqp._client import Settings, connect
from tomodachi_transport_amqp.testing import ServiceStub, rabbitmqctl

ROOT = Path(__file__).resolve().parent.parent
SERVICE = ROOT / "scripts" / "interop" / "amqp_service.py"
OURS = Path(sys.executable).parent / "tomodachi"
EXPECTED = {
    "029": [f"029 received {kind} hops={hops}" for kind in ("json", "proto") for hops in (0, 2)],
    "ours": [f"ours received {kind} hops={hops}" for kind in ("json", "proto") for hops in (1, 3)],
}


def venv029() -> Path:
    """The tomodachi 0.29 interpreter, creating its venv when none is usable."""
    check = "import tomodachi, google.protobuf; assert tomodachi.__version__ == '0.29.0'"
    for candidate in (ROOT / "bench" / ".venv-tomodachi029", ROOT / "build" / "interop" / "venv029"):
        python = candidate / "bin" / "python"
        if python.exists() and subprocess.run([python, "-c", check], capture_output=True).returncode == 0:
            return candidate
    target = ROOT / "build" / "interop" / "venv029"
    print(f"creating {target} with tomodachi==0.29.0", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", target], check=True)
    pip = [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "tomodachi==0.29.0", "protobuf"], check=True)
    return target


def start(command: Path, role: str, token: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOMODACHI_")}
    env.update({"INTEROP_ROLE": role, "INTEROP_TOKEN": token, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"})
    return subprocess.Popen(
        [command, "run", "--production", SERVICE.name],
        cwd=SERVICE.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


class Output:
    """Collects a process's output lines in a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        import threading

        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.lines.append(line.rstrip("\n"))

    def has(self, text: str) -> bool:
        return any(text in line for line in self.lines)


async def wait_for(outputs: dict[str, Output], wanted: dict[str, list[str]], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if all(outputs[role].has(text) for role, texts in wanted.items() for text in texts):
            return True
        await asyncio.sleep(0.1)
    return False


async def delete_queues(prefix: str) -> None:
    listed = json.loads(await rabbitmqctl("list_queues", "-q", "--formatter", "json", "name"))
    connection = await connect(Settings())
    channel = await connection.channel()
    for queue in listed:
        if queue["name"].startswith(prefix):
            await channel.delete_queue(queue["name"])
    await connection.close()


async def main() -> int:
    token = uuid.uuid4().hex[:10]
    python029 = venv029()
    processes = {
        "029": start(python029 / "bin" / "tomodachi", "029", token),
        "ours": start(OURS, "ours", token),
    }
    outputs = {role: Output(process) for role, process in processes.items()}
    ok = False
    try:
        ready = {role: ["started service successfully"] for role in processes}
        if not await wait_for(outputs, ready, 60):
            print("a service did not start", file=sys.stderr)
            return 1
        sender = ServiceStub()
        await amqp_publish(
            sender, {"hops": 0}, routing_key=f"interop.{token}.to029.json", message_envelope=JsonBase
        )
        await amqp_publish(
            sender,
            StringValue(value="hops:0"),
            routing_key=f"interop.{token}.to029.proto",
            message_envelope=ProtobufBase,
        )
        await close_publishers()
        ok = await wait_for(outputs, EXPECTED, 30)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        await delete_queues(f"interop-{token}-")
    for role, texts in EXPECTED.items():
        for text in texts:
            print(f"{'ok     ' if outputs[role].has(text) else 'MISSING'} {text}")
    if not ok:
        for role, output in outputs.items():
            print(f"--- {role} output ---\n" + "\n".join(output.lines), file=sys.stderr)
        return 1
    print("amqp interop with tomodachi 0.29: JsonBase and ProtobufBase, both directions: ok")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
