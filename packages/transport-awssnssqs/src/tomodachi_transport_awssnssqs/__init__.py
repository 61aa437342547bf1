"""AWS SNS+SQS transport and standalone publisher for tomodachi services."""

from .__about__ import __version__ as __version__

__all__ = ["__version__"]
