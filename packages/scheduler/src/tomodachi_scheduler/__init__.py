"""Intervals, cron expressions and timestamps for scheduled tomodachi handlers."""

from .__about__ import __version__ as __version__

__all__ = ["__version__"]
