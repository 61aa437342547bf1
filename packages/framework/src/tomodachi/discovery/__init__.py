"""``tomodachi.discovery``: deprecated service discovery registries.

A service lists registries in its ``discovery`` attribute (deprecated: it warns); each registry's
``_register_service(service)`` is awaited once the transports have started and
``_deregister_service(service)`` when the service stops. Prefer the lifecycle hooks
(``_started_service``, ``_stop_service``) for new code.

``DummyRegistry`` (also ``dummy``, ``example``) records the endpoints it is given and logs.
"""

from . import dummy_registry as dummy_registry
from ._dummy_registry import DummyRegistry as DummyRegistry
from ._dummy_registry import DummyRegistry as dummy
from ._dummy_registry import DummyRegistry as example

__all__ = ["DummyRegistry", "dummy", "dummy_registry", "example"]
