"""The outer message of ProtobufBase, compiled at first use by the installed protobuf runtime.

The schema (proto3, package ``proto``), as tomodachi defines it::

    message Service  { string name = 1; string uuid = 2; }
    message Metadata { string message_uuid = 1; string protocol_version = 2; double timestamp = 3;
                       string topic = 4; string data_encoding = 5; }
    message SNSSQSMessage { Service service = 1; Metadata metadata = 2; bytes data = 3; }

It is described here and registered in a private descriptor pool instead of shipping generated code,
because generated modules tie themselves to one range of protobuf runtimes, and a private pool cannot
clash with an application that registers the same names.
"""

from __future__ import annotations

import functools

from ._protobuf_support import protobuf_message_class

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FIELDS: dict[str, list[tuple[str, int, str]]] = {
    "Service": [("name", 1, "string"), ("uuid", 2, "string")],
    "Metadata": [
        ("message_uuid", 1, "string"),
        ("protocol_version", 2, "string"),
        ("timestamp", 3, "double"),
        ("topic", 4, "string"),
        ("data_encoding", 5, "string"),
    ],
    "SNSSQSMessage": [
        ("service", 1, ".proto.Service"),
        ("metadata", 2, ".proto.Metadata"),
        ("data", 3, "bytes"),
    ],
}


@functools.cache
def outer_message_class() -> Any:
    """The ``SNSSQSMessage`` class.

    Raises:
        MissingExtraError: protobuf is not installed.
    """
    protobuf_message_class()
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    field_type = descriptor_pb2.FieldDescriptorProto
    scalar = {
        "string": field_type.TYPE_STRING,
        "double": field_type.TYPE_DOUBLE,
        "bytes": field_type.TYPE_BYTES,
    }
    file = descriptor_pb2.FileDescriptorProto(
        name="tomodachi_envelope/sns_sqs_message.proto", package="proto", syntax="proto3"
    )
    for message_name, fields in _FIELDS.items():
        message = file.message_type.add(name=message_name)
        for name, number, kind in fields:
            field = message.field.add(name=name, number=number, label=field_type.LABEL_OPTIONAL)
            if kind in scalar:
                field.type = scalar[kind]
            else:
                field.type, field.type_name = field_type.TYPE_MESSAGE, kind
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("proto.SNSSQSMessage"))
