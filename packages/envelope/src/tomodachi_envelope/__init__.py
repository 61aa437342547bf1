"""Build and parse tomodachi message envelopes from plain synchronous code.

``JsonBase`` and ``ProtobufBase`` write and read the wire format of tomodachi services, so a script
or a service built on this library exchanges messages with services on tomodachi 0.29. Nothing here
starts or needs an event loop; the standard library is enough, protobuf is an extra
(``pip install 'tomodachi-envelope[protobuf]'``).

    >>> from tomodachi_envelope import JsonBase, ServiceIdentity
    >>> payload = JsonBase.build_message(ServiceIdentity("orders", "4f1c..."), "order-created", {"id": 1})
    >>> JsonBase.parse_message(payload).data
    {'id': 1}
"""

from .__about__ import __version__ as __version__
from ._errors import DataDecodeError as DataDecodeError
from ._errors import EnvelopeBuildError as EnvelopeBuildError
from ._errors import EnvelopeError as EnvelopeError
from ._errors import EnvelopeParseError as EnvelopeParseError
from ._errors import MalformedPayloadError as MalformedPayloadError
from ._errors import MissingExtraError as MissingExtraError
from ._errors import ProtoClassError as ProtoClassError
from ._errors import UnsupportedProtocolError as UnsupportedProtocolError
from ._identity import JSON_PROTOCOL_VERSION as JSON_PROTOCOL_VERSION
from ._identity import PROTOBUF_PROTOCOL_VERSION as PROTOBUF_PROTOCOL_VERSION
from ._json_base import JsonBase as JsonBase
from ._values import ParsedMessage as ParsedMessage
from ._values import ServiceIdentity as ServiceIdentity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._protobuf_base import ProtobufBase as ProtobufBase
    from ._types import AsyncEnvelope as AsyncEnvelope
    from ._types import Envelope as Envelope
    from ._types import EnvelopeMessage as EnvelopeMessage
    from ._types import MessageMetadata as MessageMetadata
    from ._types import ServiceInfo as ServiceInfo

# Loaded on first use: ProtobufBase, and the typing-only names (their module imports typing).
_LAZY = {
    "ProtobufBase": "._protobuf_base",
    "AsyncEnvelope": "._types",
    "Envelope": "._types",
    "EnvelopeMessage": "._types",
    "MessageMetadata": "._types",
    "ServiceInfo": "._types",
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module 'tomodachi_envelope' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "JSON_PROTOCOL_VERSION",
    "PROTOBUF_PROTOCOL_VERSION",
    "AsyncEnvelope",
    "DataDecodeError",
    "Envelope",
    "EnvelopeBuildError",
    "EnvelopeError",
    "EnvelopeMessage",
    "EnvelopeParseError",
    "JsonBase",
    "MalformedPayloadError",
    "MessageMetadata",
    "MissingExtraError",
    "ParsedMessage",
    "ProtoClassError",
    "ProtobufBase",
    "ServiceIdentity",
    "ServiceInfo",
    "UnsupportedProtocolError",
    "__version__",
]
