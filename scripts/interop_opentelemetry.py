"""A trace crosses between a service on this library and one on tomodachi 0.29, both ways, over SNS+SQS
and over AMQP.

Both run with ``tomodachi run --opentelemetry-instrument`` and the console span exporter; tomodachi 0.29
runs from a venv of its own with its ``opentelemetry`` extra (``build/interop/venv029otel``, created here
from PyPI). For each transport, ours publishes inside a span; the 0.29 handler must run in a span of that
trace whose parent is our PRODUCER span, and its answer must reach our handler in a span of the same trace
whose parent is the 0.29 PRODUCER span. SNS+SQS runs on a moto server, AMQP on the local RabbitMQ
(127.0.0.1:5672), with names unique to the run; the AMQP queues of the run are deleted at the end. Exits
non-zero when a link is missing.
"""

from __future__ import annotations

import asyncio
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


def check_links(transport: str, ours: Peer, peer029: Peer, to_029: str, from_029: str) -> str:
    """The trace of ``transport`` followed from ours to 0.29 and back: a line saying so, or SystemExit."""
    origin = line_ids(ours.lines, f"ours origin {transport}")["trace"]
    at_029 = line_ids(peer029.lines, f"029 received hello {transport}")
    back = line_ids(ours.lines, f"ours received reply to hello {transport}")
    ours_spans, spans_029 = spans("\n".join(ours.lines)), spans("\n".join(peer029.lines))
    our_producer = one(ours_spans, "PRODUCER", to_029)
    producer_029 = one(spans_029, "PRODUCER", from_029)
    consumer_029 = one(spans_029, "CONSUMER", to_029)
    our_consumer = one(ours_spans, "CONSUMER", from_029)
    problems = []
    if at_029["trace"] != origin or back["trace"] != origin:
        problems.append(f"trace ids differ: ours {origin}, at 0.29 {at_029['trace']}, back {back['trace']}")
    if at_029["parent"] != our_producer["context"]["span_id"].removeprefix("0x"):
        problems.append(
            f"the 0.29 handler's parent {at_029['parent']} is not our producer span {our_producer}"
        )
    if back["parent"] != producer_029["context"]["span_id"].removeprefix("0x"):
        problems.append(f"our handler's parent {back['parent']} is not the 0.29 producer span {producer_029}")
    if producer_029["parent_id"] != consumer_029["context"]["span_id"]:
        problems.append(f"the 0.29 producer span {producer_029} is not a child of its consumer span")
    if problems:
        raise SystemExit(f"interop ({transport}): " + "; ".join(problems))
    return (
        f"interop: trace {origin} crossed to tomodachi 0.29 and back over {transport}: "
        f"{our_producer['name']!r} -> {consumer_029['name']!r} -> {producer_029['name']!r} "
        f"-> {our_consumer['name']!r}, the parent spans linked both ways"
    )


def main() -> None:
    python029 = python_029()
    run = uuid.uuid4().hex[:8]
    ours: Peer | None = None
    try:
        with moto_server() as url:
            env = {"INTEROP_URL": url, "INTEROP_RUN": run, "OTEL_TRACES_EXPORTER": "console"}
            deadline = time.monotonic() + TIMEOUT
            peer029 = run_peer("tomodachi 0.29", python029, {**env, "INTEROP_ROLE": "029"})
            try:
                peer029.wait_for("peer 029 ready", deadline)
                ours = run_peer("ours", Path(sys.executable), {**env, "INTEROP_ROLE": "ours"})
                for transport in ("sns", "amqp"):
                    peer029.wait_for(f"029 received hello {transport}", deadline)
                    ours.wait_for(f"ours received reply to hello {transport}", deadline)
            finally:
                for peer in (ours, peer029):
                    if peer is not None:
                        peer.stop()
    finally:
        deleted = asyncio.run(_interop.delete_amqp_queues(f"otel-interop-{run}-"))
    assert ours is not None
    print(check_links("sns", ours, peer029, f"to-029-{run}", f"from-029-{run}"))
    print(check_links("amqp", ours, peer029, f"otel-interop.{run}.to029", f"otel-interop.{run}.from029"))
    print(f"interop: deleted the run's AMQP queues {deleted}")


if __name__ == "__main__":
    main()
