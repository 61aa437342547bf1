"""Message identifiers and timestamps, as tomodachi puts them in every envelope."""

from __future__ import annotations

import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Protocol versions written into metadata.protocol_version, and the older names still accepted.
JSON_PROTOCOL_VERSION = "tomodachi-json-base--1.0.0"
PROTOBUF_PROTOCOL_VERSION = "tomodachi-protobuf-base--1.0.0"

now = time.time

# RFC 4122 variant: the first hex digit of the fourth group is one of 8, 9, a, b.
_VARIANT_DIGIT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def random_uuid4() -> str:
    """A random RFC 4122 version 4 UUID string, without the cost of building a uuid.UUID."""
    h = os.urandom(16).hex()
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT_DIGIT[h[16]]}{h[17:20]}-{h[20:]}"


def message_uuid_for(service: Any) -> str:
    """``<service uuid>.<uuid4>``: the message id form every tomodachi envelope uses."""
    return f"{getattr(service, 'uuid', '')}.{random_uuid4()}"


def service_name_and_uuid(service: Any) -> tuple[Any, Any]:
    return getattr(service, "name", None), getattr(service, "uuid", None)
