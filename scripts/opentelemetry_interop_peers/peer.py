"""Both sides of the OpenTelemetry interop check: run by tomodachi 0.29 (INTEROP_ROLE=029) and by ours.

Ours opens a span, publishes to the "to-029" topic inside it and prints its trace id. The 0.29 side
handles that message and answers on the "from-029" topic; ours handles the answer. Every handler
prints the trace id and the parent span id of the span it runs in, and the console span exporter
prints every span, so the check can follow the trace from one process to the other and back.
"""

import os
from typing import Any

from opentelemetry import trace

import tomodachi
from tomodachi.envelope import JsonBase

URL = os.environ["INTEROP_URL"]
RUN = os.environ["INTEROP_RUN"]
ROLE = os.environ["INTEROP_ROLE"]
OPTIONS = {
    "aws_sns_sqs": {"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"},
    "aws_endpoint_urls": {"sns": URL, "sqs": URL},
}


def span_ids() -> str:
    span: Any = trace.get_current_span()
    context = span.get_span_context()
    parent = getattr(span, "parent", None)
    parent_id = format(parent.span_id, "016x") if parent is not None else "-"
    return (
        f"trace={format(context.trace_id, '032x')} span={format(context.span_id, '016x')} parent={parent_id}"
    )


if ROLE == "029":

    class Peer(tomodachi.Service):
        name = "otel-interop-029"
        options = tomodachi.Options(**OPTIONS)
        message_envelope = JsonBase

        @tomodachi.aws_sns_sqs(f"to-029-{RUN}", competing=True)
        async def handle(self, data: Any) -> None:
            print(f"029 received {data['text']} {span_ids()}", flush=True)
            await tomodachi.aws_sns_sqs_publish(
                self, {"text": f"reply to {data['text']}"}, topic=f"from-029-{RUN}"
            )

        async def _started_service(self) -> None:
            print("peer 029 ready", flush=True)

else:

    class Peer(tomodachi.Service):  # type: ignore[no-redef]
        name = "otel-interop-ours"
        options = tomodachi.Options(**OPTIONS)
        message_envelope = JsonBase

        @tomodachi.aws_sns_sqs(f"from-029-{RUN}", competing=True)
        async def handle(self, data: Any) -> None:
            print(f"ours received {data['text']} {span_ids()}", flush=True)

        async def _started_service(self) -> None:
            with trace.get_tracer("interop").start_as_current_span("interop origin"):
                print(f"ours origin {span_ids()}", flush=True)
                await tomodachi.aws_sns_sqs_publish(self, {"text": "hello"}, topic=f"to-029-{RUN}")
