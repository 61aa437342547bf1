"""Access to the optional protobuf runtime, with the install line when it is missing."""

from __future__ import annotations

import functools

from ._errors import MissingExtraError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

INSTALL_LINE = "pip install 'tomodachi-envelope[protobuf]'"


@functools.cache
def protobuf_message_class() -> type[Any]:
    """``google.protobuf.message.Message``.

    Raises:
        MissingExtraError: protobuf is not installed.
    """
    try:
        from google.protobuf.message import Message
    except ImportError as exc:
        raise MissingExtraError(f"ProtobufBase needs the protobuf package: {INSTALL_LINE}") from exc
    return Message


def protobuf_decode_error() -> type[Exception]:
    from google.protobuf.message import DecodeError

    return DecodeError
