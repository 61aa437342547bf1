"""Older import path of ``tomodachi.decorator``."""

from tomodachi_middleware import decorator as decorator

__all__ = ["decorator"]
