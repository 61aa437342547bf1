"""HTTP and websocket transport for tomodachi services, on aiohttp."""

from .__about__ import __version__ as __version__

__all__ = ["__version__"]
