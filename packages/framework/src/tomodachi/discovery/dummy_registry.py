"""``tomodachi.discovery.dummy_registry``: the example registry."""

from ._dummy_registry import DummyRegistry as DummyRegistry

__all__ = ["DummyRegistry"]
