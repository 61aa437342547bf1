"""One side of the AMQP interoperability check, run on this library or on tomodachi 0.29.

``INTEROP_ROLE`` (``ours`` or ``029``) names the side, ``INTEROP_TOKEN`` makes the routing keys and
queue names unique. Each side consumes ``interop.<token>.to<role>.json`` (JsonBase) and
``.proto`` (ProtobufBase, a ``StringValue``), prints what it received, and sends the message on to
the other side with one more hop, until three hops are done. The same file runs on both, written
with the API both share.
"""

import os
from typing import Any

from google.protobuf.wrappers_pb2 import StringValue

import tomodachi
from tomodachi.envelope import JsonBase, ProtobufBase

ROLE = os.environ["INTEROP_ROLE"]
OTHER = "ours" if ROLE == "029" else "029"
TOKEN = os.environ["INTEROP_TOKEN"]
LAST_HOP = 3


def key(role: str, kind: str) -> str:
    return f"interop.{TOKEN}.to{role}.{kind}"


class InteropService(tomodachi.Service):
    name = f"interop-{ROLE}"
    options = tomodachi.Options(amqp={"queue_name_prefix": f"interop-{TOKEN}-", "queue_ttl": 300})

    @tomodachi.amqp(key(ROLE, "json"), message_envelope=JsonBase)
    async def json_in(self, data: Any) -> None:
        print(f"{ROLE} received json hops={data['hops']}", flush=True)
        if data["hops"] < LAST_HOP:
            await tomodachi.amqp_publish(
                self, {"hops": data["hops"] + 1}, routing_key=key(OTHER, "json"), message_envelope=JsonBase
            )

    @tomodachi.amqp(key(ROLE, "proto"), message_envelope=ProtobufBase, proto_class=StringValue)
    async def proto_in(self, data: Any) -> None:
        hops = int(data.value.split(":")[1])
        print(f"{ROLE} received proto hops={hops}", flush=True)
        if hops < LAST_HOP:
            message = StringValue(value=f"hops:{hops + 1}")
            await tomodachi.amqp_publish(
                self, message, routing_key=key(OTHER, "proto"), message_envelope=ProtobufBase
            )
