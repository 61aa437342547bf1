"""tomodachi: microservices on asyncio, composed from the tomodachi-* libraries."""

from .__about__ import __version__ as __version__

__all__ = ["__version__"]
