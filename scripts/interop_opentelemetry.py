"""A trace crosses between a service on this library and one on tomodachi 0.29, both ways, over SNS+SQS.

Both run with ``tomodachi run --opentelemetry-instrument`` and the console span exporter; tomodachi 0.29
runs from a venv of its own with its ``opentelemetry`` extra (``build/interop/venv029otel``, created here
from PyPI). Ours publishes inside a span; the 0.29 handler must run in a span of that trace whose parent
is our PRODUCER span, and its answer must reach our handler in a span of the same trace whose parent is
the 0.29 PRODUCER span. Exits non-zero when a link is missing.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import _interop
from _interop import Peer

from tomodachi_transport_awssnssqs.testing import moto_server

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / "scripts" / "opentelemetry_interop_peers" / "peer.py"
VENV = ROOT / "build" / "interop" / "venv029otel"
TIMEOUT = 120.0
REQUIREMENTS = [
    "tomodachi[opentelemetry,protobuf]==0.29.0",
    # 0.29 pins opentelemetry-api/sdk to 1.27; these keep the instrumentation packages of that release.
    "opentelemetry-instrumentation==0.48b0",
    "opentelemetry-semantic-conventions==0.48b0",
]


def python_029() -> Path:
    """The tomodachi 0.29 interpreter with OpenTelemetry, creating its venv when none is usable."""
    return _interop.python_029(
        (VENV,), REQUIREMENTS, "import tomodachi, opentelemetry.sdk; assert tomodachi.__version__ == '0.29.0'"
    )


def run_peer(name: str, python: Path, env: dict[str, str]) -> Peer:
    """``tomodachi run --opentelemetry-instrument <peer>`` from ``python``."""
    command = [str(python), "-m", "tomodachi", "run", "--production", "--opentelemetry-instrument", PEER.name]
    return Peer(name, command, PEER.parent, env)


def spans(output: str) -> list[dict[str, Any]]:
    """The spans that the console exporter printed (one indented JSON object each) in ``output``."""
    found, lines, depth = [], [], 0
    for line in output.splitlines():
        if depth == 0 and line != "{":
            continue
        lines.append(line)
        depth += line.count("{") - line.count("}")
        if depth == 0:
            with contextlib.suppress(ValueError):
                found.append(json.loads("\n".join(lines)))
            lines = []
    return found


def one(found: list[dict[str, Any]], kind: str, topic: str) -> dict[str, Any]:
    matching = [span for span in found if span.get("kind") == f"SpanKind.{kind}" and topic in span["name"]]
    if len(matching) != 1:
        raise SystemExit(f"interop: expected one {kind} span for {topic}, got {[s['name'] for s in found]}")
    return matching[0]


def line_ids(lines: list[str], prefix: str) -> dict[str, str]:
    for line in lines:
        if line.startswith(prefix):
            return dict(re.findall(r"(trace|span|parent)=(\S+)", line))
    raise SystemExit(f"interop: no line starting with {prefix!r}")


def main() -> None:
    python029 = python_029()
    run = uuid.uuid4().hex[:8]
    with moto_server() as url:
        env = {"INTEROP_URL": url, "INTEROP_RUN": run, "OTEL_TRACES_EXPORTER": "console"}
        deadline = time.monotonic() + TIMEOUT
        peer029 = run_peer("tomodachi 0.29", python029, {**env, "INTEROP_ROLE": "029"})
        ours: Peer | None = None
        try:
            peer029.wait_for("peer 029 ready", deadline)
            ours = run_peer("ours", Path(sys.executable), {**env, "INTEROP_ROLE": "ours"})
            peer029.wait_for("029 received hello", deadline)
            ours.wait_for("ours received reply to hello", deadline)
        finally:
            for peer in (ours, peer029):
                if peer is not None:
                    peer.stop()
    assert ours is not None
    origin = line_ids(ours.lines, "ours origin")["trace"]
    at_029 = line_ids(peer029.lines, "029 received hello")
    back = line_ids(ours.lines, "ours received reply to hello")
    ours_spans, spans_029 = spans("\n".join(ours.lines)), spans("\n".join(peer029.lines))
    our_producer = one(ours_spans, "PRODUCER", f"to-029-{run}")
    producer_029 = one(spans_029, "PRODUCER", f"from-029-{run}")
    problems = []
    if at_029["trace"] != origin or back["trace"] != origin:
        problems.append(f"trace ids differ: ours {origin}, at 0.29 {at_029['trace']}, back {back['trace']}")
    if at_029["parent"] != our_producer["context"]["span_id"].removeprefix("0x"):
        problems.append(
            f"the 0.29 handler's parent {at_029['parent']} is not our producer span {our_producer}"
        )
    if back["parent"] != producer_029["context"]["span_id"].removeprefix("0x"):
        problems.append(f"our handler's parent {back['parent']} is not the 0.29 producer span {producer_029}")
    if problems:
        raise SystemExit("interop: " + "; ".join(problems))
    print(
        f"interop: trace {origin} crossed to tomodachi 0.29 and back over SNS+SQS, "
        "the parent spans linked both ways"
    )


if __name__ == "__main__":
    main()
