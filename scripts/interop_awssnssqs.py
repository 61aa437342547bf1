"""Exchanges SNS+SQS messages between a service on this library and one on tomodachi 0.29.

A moto server runs from this interpreter. tomodachi 0.29 runs from its own venv (``bench/.venv-tomodachi029``
when the benchmarks made it, else ``build/interop/venv029``, created here from PyPI). The 0.29 service
subscribes first; ours then publishes to it with JsonBase and ProtobufBase, and the 0.29 service answers
on topics ours consumes. The check passes when all four messages arrived, each read by the other side.
"""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

import _interop
from _interop import Peer

from tomodachi_transport_awssnssqs.testing import moto_server

ROOT = Path(__file__).resolve().parent.parent
PEERS = ROOT / "scripts" / "awssnssqs_interop_peers"
BENCH_VENV = ROOT / "bench" / ".venv-tomodachi029"
OWN_VENV = ROOT / "build" / "interop" / "venv029"
TIMEOUT = 90.0


def python_029() -> Path:
    return _interop.python_029(
        (BENCH_VENV, OWN_VENV),
        ("tomodachi==0.29.0", "protobuf"),
        "import tomodachi, google.protobuf; assert tomodachi.__version__ == '0.29.0'",
    )


def run_peer(name: str, python: Path, script: Path, env: dict[str, str]) -> Peer:
    """``tomodachi run`` of ``script`` from ``python``."""
    return Peer(
        name, [str(python), "-m", "tomodachi", "run", "--production", script.name], script.parent, env
    )


def main() -> None:
    python029 = python_029()
    run = uuid.uuid4().hex[:8]
    with moto_server() as url:
        env = {"INTEROP_URL": url, "INTEROP_RUN": run}
        deadline = time.monotonic() + TIMEOUT
        peer029 = run_peer("tomodachi 0.29", python029, PEERS / "peer_029.py", env)
        ours: Peer | None = None
        try:
            peer029.wait_for("peer 029 ready", deadline)
            ours = run_peer("ours", Path(sys.executable), PEERS / "peer_ours.py", env)
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
