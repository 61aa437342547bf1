"""Older path of ``tomodachi.envelope.protobuf_base``."""

from tomodachi.envelope.protobuf_base import PROTOCOL_VERSION as PROTOCOL_VERSION
from tomodachi.envelope.protobuf_base import ProtobufBase as ProtobufBase

__all__ = ["PROTOCOL_VERSION", "ProtobufBase"]
