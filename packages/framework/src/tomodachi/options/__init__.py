"""A service's options: ``Options`` and the base type of its sections, ``OptionsInterface``.

``Options`` aggregates the sections that the transport libraries own (``http``, ``aws_sns_sqs``,
``aws_endpoint_urls``, ``amqp`` with ``amqp.qos``) and the facade's ``watcher`` and ``health``
sections. Every section is an ``OptionsInterface`` (``tomodachi_middleware.OptionsSection``):
attribute and dotted item access, ``get``, ``keys``/``items``/``asdict``, ``update`` and ``merged``.
"""

from tomodachi_middleware import OptionsSection as OptionsInterface

from ._health import HealthOptions as HealthOptions
from ._options import Options as Options
from ._watcher import WatcherOptions as WatcherOptions

__all__ = ["HealthOptions", "Options", "OptionsInterface", "WatcherOptions"]
