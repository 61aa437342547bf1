"""Older path of ``tomodachi.envelope.json_base``."""

from tomodachi.envelope.json_base import PROTOCOL_VERSION as PROTOCOL_VERSION
from tomodachi.envelope.json_base import JsonBase as JsonBase

__all__ = ["PROTOCOL_VERSION", "JsonBase"]
