"""Exchanges SNS+SQS messages between a service on this library and one on tomodachi 0.29.

A moto server runs from this interpreter. tomodachi 0.29 runs from its own venv (``bench/.venv-tomodachi029``
when the benchmarks made it, else ``build/interop/venv029``, created here from PyPI). The 0.29 service
subscribes first; ours then publishes to it with JsonBase and ProtobufBase, and the 0.29 service answers
on topics ours consumes. The check passes when all four messages arrived, each read by the other side.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from tomodachi_transport_awssnssqs.testing import DUMMY_CREDENTIALS, moto_server

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "scripts" / "awssnssqs_interop_peers"
BENCH_VENV = ROOT / "bench" / ".venv-tomodachi029"
OWN_VENV = ROOT / "build" / "interop" / "venv029"
TIMEOUT = 90.0


def python_029() -> Path:
    for venv in (BENCH_VENV, OWN_VENV):
        python = venv / "bin" / "python"
        if python.exists():
            check = [
                str(python),
                "-c",
                "import tomodachi, google.protobuf; assert tomodachi.__version__ == '0.29.0'",
            ]
            if subprocess.run(check, capture_output=True, check=False).returncode == 0:
                return python
    subprocess.run([sys.executable, "-m", "venv", str(OWN_VENV)], check=True)
    python = OWN_VENV / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "tomodachi==0.29.0", "protobuf"], check=True
    )
    return python


class Peer:
    def __init__(self, name: str, python: Path, script: Path, env: dict[str, str]) -> None:
        self.name = name
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(python), "-m", "tomodachi", "run", "--production", script.name],
            cwd=script.parent,
            env={**os.environ, **DUMMY_CREDENTIALS, "PYTHONUNBUFFERED": "1", **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, deadline: float) -> None:
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        output = "".join(self.lines)
        raise SystemExit(f"interop: {self.name} never printed {text!r}\n--- {self.name} output ---\n{output}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def main() -> None:
    python029 = python_029()
    run = uuid.uuid4().hex[:8]
    with moto_server() as url:
        env = {"INTEROP_URL": url, "INTEROP_RUN": run}
        deadline = time.monotonic() + TIMEOUT
        peer029 = Peer("tomodachi 0.29", python029, PEERS / "peer_029.py", env)
        ours: Peer | None = None
        try:
            peer029.wait_for("peer 029 ready", deadline)
            ours = Peer("ours", Path(sys.executable), PEERS / "peer_ours.py", env)
            peer029.wait_for("029 received json hello-json", deadline)
            peer029.wait_for("029 received proto hello-proto", deadline)
            ours.wait_for("ours received json reply to hello-json from interop-peer-029", deadline)
            ours.wait_for("ours received proto reply to hello-proto from interop-peer-029", deadline)
        finally:
            for peer in (ours, peer029):
                if peer is not None:
                    peer.stop()
    print("interop: SNS+SQS messages exchanged with tomodachi 0.29 both ways, JsonBase and ProtobufBase")


if __name__ == "__main__":
    main()
