"""Our side of the SNS+SQS interop check (run by this repository's tomodachi).

It consumes the "from-029" topics, publishes to the "to-029" topics once started, and prints what
comes back.
"""

import os
from typing import Any

import tomodachi
from tomodachi.envelope import JsonBase, ProtobufBase
from tomodachi.envelope.proto_build.protobuf.sns_sqs_message_pb2 import Service as ProtoService

URL = os.environ["INTEROP_URL"]
RUN = os.environ["INTEROP_RUN"]


class PeerOurs(tomodachi.Service):
    name = "interop-peer-ours"
    options = tomodachi.Options(
        aws_sns_sqs={"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"},
        aws_endpoint_urls={"sns": URL, "sqs": URL},
    )

    @tomodachi.aws_sns_sqs(f"from-029-json-{RUN}", message_envelope=JsonBase)
    async def json_back(self, data: Any, service: Any) -> None:
        print(f"ours received json {data['text']} from {service['name']}", flush=True)

    @tomodachi.aws_sns_sqs(f"from-029-proto-{RUN}", message_envelope=ProtobufBase, proto_class=ProtoService)
    async def proto_back(self, data: Any, service: Any) -> None:
        print(f"ours received proto {data.name} from {service['name']}", flush=True)

    async def _started_service(self) -> None:
        await tomodachi.aws_sns_sqs_publish(
            self, {"text": "hello-json"}, topic=f"to-029-json-{RUN}", message_envelope=JsonBase
        )
        await tomodachi.aws_sns_sqs_publish(
            self,
            ProtoService(name="hello-proto", uuid="1"),
            topic=f"to-029-proto-{RUN}",
            message_envelope=ProtobufBase,
        )
        print("peer ours published", flush=True)
