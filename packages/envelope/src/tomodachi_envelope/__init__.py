"""Build and parse tomodachi message envelopes (JsonBase, ProtobufBase) from plain synchronous code."""

from .__about__ import __version__ as __version__

__all__ = ["__version__"]
