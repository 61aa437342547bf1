"""Both sides of the OpenTelemetry interop check: run by tomodachi 0.29 (INTEROP_ROLE=029) and by ours.

For each transport (SNS+SQS and AMQP) ours opens a span, publishes "hello <transport>" to the 0.29 side
inside it and prints its trace id. The 0.29 side handles that message and answers with
"reply to hello <transport>"; ours handles the answer. Every handler prints the trace id and the parent
span id of the span it runs in, and the console span exporter prints every span, so the check can follow
each trace from one process to the other and back. Topic names, routing keys and AMQP queue names carry
INTEROP_RUN, so that runs never share anything on the brokers.
"""

import os
from typing import Any

from opentelemetry import trace

import tomodachi
from tomodachi.envelope import JsonBase

URL = os.environ["INTEROP_URL"]
RUN = os.environ["INTEROP_RUN"]
ROLE = os.environ["INTEROP_ROLE"]
OPTIONS: dict[str, Any] = {
    "aws_sns_sqs": {"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"},
    "aws_endpoint_urls": {"sns": URL, "sqs": URL},
    "amqp": {"queue_name_prefix": f"otel-interop-{RUN}-", "queue_ttl": 300},
}
TO_029 = f"otel-interop.{RUN}.to029"
FROM_029 = f"otel-interop.{RUN}.from029"


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

        @tomodachi.amqp(TO_029)
        async def handle_amqp(self, data: Any) -> None:
            print(f"029 received {data['text']} {span_ids()}", flush=True)
            await tomodachi.amqp_publish(self, {"text": f"reply to {data['text']}"}, routing_key=FROM_029)

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

        @tomodachi.amqp(FROM_029)
        async def handle_amqp(self, data: Any) -> None:
            print(f"ours received {data['text']} {span_ids()}", flush=True)

        async def _started_service(self) -> None:
            tracer = trace.get_tracer("interop")
            with tracer.start_as_current_span("interop origin sns"):
                print(f"ours origin sns {span_ids()}", flush=True)
                await tomodachi.aws_sns_sqs_publish(self, {"text": "hello sns"}, topic=f"to-029-{RUN}")
            with tracer.start_as_current_span("interop origin amqp"):
                print(f"ours origin amqp {span_ids()}", flush=True)
                await tomodachi.amqp_publish(self, {"text": "hello amqp"}, routing_key=TO_029)
