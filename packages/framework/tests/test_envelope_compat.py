from __future__ import annotations

import importlib
import json
from typing import Any

from google.protobuf.wrappers_pb2 import StringValue

import tomodachi_envelope
from tomodachi.envelope import JsonBase
from tomodachi.envelope.protobuf_base import ProtobufBase


class Sender:
    name = "orders"
    uuid = "7d0a0b4c-1111-4222-8333-444455556666"


async def test_json_base_methods_are_coroutines_over_the_same_wire_format() -> None:
    payload = await JsonBase.build_message(Sender(), "order-created", {"id": 1})
    message, message_uuid, timestamp = await JsonBase.parse_message(payload)

    assert message["data"] == {"id": 1}
    assert str(message_uuid).startswith(Sender.uuid + ".")
    assert tomodachi_envelope.JsonBase.parse_message(payload).data == {"id": 1}
    assert timestamp == json.loads(payload)["metadata"]["timestamp"]


async def test_custom_envelope_subclassing_json_base_with_super_calls_works() -> None:
    class Wrapped(JsonBase):
        @classmethod
        async def build_message(cls, service: Any, topic: str, data: Any, **kwargs: Any) -> str:
            return await super().build_message(service, topic, {"wrapped": data}, **kwargs)

        @classmethod
        async def parse_message(cls, payload: str, **kwargs: Any) -> tuple[Any, str | None, float | None]:
            message, message_uuid, timestamp = await super().parse_message(payload, **kwargs)
            message["data"] = message["data"]["wrapped"]
            return message, message_uuid, timestamp

    message, _, _ = await Wrapped.parse_message(await Wrapped.build_message(Sender(), "t", [1, 2]))
    assert message["data"] == [1, 2]


async def test_protobuf_base_round_trip_with_proto_class() -> None:
    ProtobufBase.validate(proto_class=StringValue)
    payload = await ProtobufBase.build_message(Sender(), "t", StringValue(value="hi"))
    message, _, _ = await ProtobufBase.parse_message(payload, proto_class=StringValue)

    assert message["data"] == StringValue(value="hi")


def test_tomodachi_module_paths_keep_working() -> None:
    envelope = importlib.import_module("tomodachi.envelope")
    protocol = importlib.import_module("tomodachi.protocol")
    pb2 = importlib.import_module("tomodachi.envelope.proto_build.protobuf.sns_sqs_message_pb2")

    assert envelope.json_base.JsonBase is JsonBase
    assert envelope.protobuf_base.ProtobufBase is ProtobufBase
    assert envelope.json_base.PROTOCOL_VERSION == "tomodachi-json-base--1.0.0"
    assert envelope.protobuf_base.PROTOCOL_VERSION == "tomodachi-protobuf-base--1.0.0"
    assert protocol.JsonBase is JsonBase
    assert protocol.ProtobufBase is ProtobufBase
    assert importlib.import_module("tomodachi.protocol.json_base").JsonBase is JsonBase
    outer = pb2.SNSSQSMessage()
    outer.metadata.topic = "t"
    outer.service.name = "s"
    assert pb2.SNSSQSMessage.FromString(outer.SerializeToString()).metadata.topic == "t"
    assert isinstance(outer.metadata, pb2.Metadata)
