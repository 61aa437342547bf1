"""HTTP and websocket transport for tomodachi services, on aiohttp."""

from .__about__ import __version__ as __version__
from ._options import HTTPOptions as HTTPOptions

__all__ = ["HTTPOptions", "__version__"]
