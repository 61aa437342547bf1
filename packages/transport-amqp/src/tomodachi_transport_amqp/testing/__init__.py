"""Helpers for testing services and scripts that use this transport.

Against the real broker: ``ServiceStub`` is the least a runtime or ``amqp_publish`` needs of a
service; ``handler_specs_of`` collects the AMQP handler specs of a class;
``delete_declared_queues`` removes what a runtime declared; ``wait_until`` polls a condition;
``rabbitmqctl`` and ``close_connections_named`` drive the local broker; ``broker_lock`` keeps test
runs on one machine from disrupting each other.

Without a broker: ``MemoryBroker`` is a RabbitMQ in memory and ``use_memory_broker(broker)`` sends
every connection the library opens to it; the runtime, consumers, publisher, retry and dead-letter
queues run against it unchanged.
"""

from tomodachi_middleware.testing import Clock as Clock
from tomodachi_middleware.testing import FakeClock as FakeClock
from tomodachi_middleware.testing import LoopClock as LoopClock

from ._broker_tools import BROKER_LOCK_PATH as BROKER_LOCK_PATH
from ._broker_tools import ServiceStub as ServiceStub
from ._broker_tools import broker_lock as broker_lock
from ._broker_tools import close_connections_named as close_connections_named
from ._broker_tools import delete_declared_queues as delete_declared_queues
from ._broker_tools import handler_specs_of as handler_specs_of
from ._broker_tools import rabbitmqctl as rabbitmqctl
from ._broker_tools import wait_until as wait_until

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ._memory_broker import MemoryBroker as MemoryBroker
    from ._memory_broker import use_memory_broker as use_memory_broker
    from ._memory_client import MemoryChannel as MemoryChannel
    from ._memory_client import MemoryConnection as MemoryConnection
    from ._memory_model import BrokerMessage as BrokerMessage

# The in-memory broker needs the broker client's modules: imported on first use.
_LAZY = {
    "MemoryBroker": ("._memory_broker", "MemoryBroker"),
    "use_memory_broker": ("._memory_broker", "use_memory_broker"),
    "MemoryChannel": ("._memory_client", "MemoryChannel"),
    "MemoryConnection": ("._memory_client", "MemoryConnection"),
    "BrokerMessage": ("._memory_model", "BrokerMessage"),
}


def __getattr__(name: str) -> object:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'tomodachi_transport_amqp.testing' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(target[0], __name__), target[1])
    globals()[name] = value
    return value


__all__ = [
    "BROKER_LOCK_PATH",
    "BrokerMessage",
    "Clock",
    "FakeClock",
    "LoopClock",
    "MemoryBroker",
    "MemoryChannel",
    "MemoryConnection",
    "ServiceStub",
    "broker_lock",
    "close_connections_named",
    "delete_declared_queues",
    "handler_specs_of",
    "rabbitmqctl",
    "use_memory_broker",
    "wait_until",
]
