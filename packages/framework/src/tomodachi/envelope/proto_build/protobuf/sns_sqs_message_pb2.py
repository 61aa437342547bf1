"""The protobuf envelope's outer message classes, at tomodachi's module path.

They are built at first use by the installed protobuf runtime (see ``tomodachi_envelope``).
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    from tomodachi_envelope._protobuf_outer import outer_message_class

    outer = outer_message_class()
    classes = {
        "SNSSQSMessage": outer,
        "Service": type(outer().service),
        "Metadata": type(outer().metadata),
    }
    if name in classes:
        return classes[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
