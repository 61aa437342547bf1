"""The tomodachi 0.29 side of the SNS+SQS interop check (run by tomodachi 0.29 in its own venv).

It consumes the "to-029" topics (JsonBase and ProtobufBase), prints what it gets, and answers on the
"from-029" topics with the same envelopes.
"""

import os
from typing import Any

import tomodachi
from tomodachi.envelope import JsonBase, ProtobufBase
from tomodachi.envelope.proto_build.protobuf.sns_sqs_message_pb2 import Service as ProtoService

URL = os.environ["INTEROP_URL"]
RUN = os.environ["INTEROP_RUN"]


class Peer029(tomodachi.Service):
    name = "interop-peer-029"
    options = tomodachi.Options(
        aws_sns_sqs={"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"},
        aws_endpoint_urls={"sns": URL, "sqs": URL},
    )

    @tomodachi.aws_sns_sqs(f"to-029-json-{RUN}", competing=True, message_envelope=JsonBase)
    async def json_in(self, data: Any, topic: str) -> None:
        print(f"029 received json {data['text']} on {topic}", flush=True)
        await tomodachi.aws_sns_sqs_publish(
            self,
            {"text": f"reply to {data['text']}"},
            topic=f"from-029-json-{RUN}",
            message_envelope=JsonBase,
        )

    @tomodachi.aws_sns_sqs(
        f"to-029-proto-{RUN}", competing=True, message_envelope=ProtobufBase, proto_class=ProtoService
    )
    async def proto_in(self, data: Any, topic: str) -> None:
        print(f"029 received proto {data.name} on {topic}", flush=True)
        await tomodachi.aws_sns_sqs_publish(
            self,
            ProtoService(name=f"reply to {data.name}", uuid=data.uuid),
            topic=f"from-029-proto-{RUN}",
            message_envelope=ProtobufBase,
        )

    async def _started_service(self) -> None:
        print("peer 029 ready", flush=True)
