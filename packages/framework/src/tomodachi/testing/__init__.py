"""Testing tomodachi services: in-process runs, in-memory brokers, and a pytest plugin.

``run_service`` runs service classes (or service files) on the test's event loop through the real
lifecycle, on a free HTTP port, and gives what a test asserts on::

    broker = InMemoryBroker()
    async with run_service(OrderService, broker=broker) as service:
        response = await service.http.get("/health")
        await tomodachi.aws_sns_sqs_publish(service.instance, {"id": 1}, topic="order-created")
        await service.wait_for_handled(OrderService.on_order)
        assert service.logs.find("order accepted", order_id=1)
        assert broker.sns_published_data("order-accepted") == [{"id": 1}]

``InMemoryBroker`` runs SNS+SQS and RabbitMQ in memory, on one fake clock shared with the scheduler;
``RealBrokers`` is the same interface over a moto server and a RabbitMQ broker. The pytest plugin
(``tomodachi.testing.pytest_plugin``, registered as the ``tomodachi`` pytest11 entry point) gives the
``tomodachi_broker``, ``tomodachi_clock`` and ``tomodachi_service`` fixtures.

Exceptions::

    ServiceStartupError (RuntimeError)   the services did not get to "ready"; carries .logs
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._broker import Broker as Broker
    from ._logs import LogLine as LogLine
    from ._logs import Logs as Logs
    from ._memory import InMemoryBroker as InMemoryBroker
    from ._real import RealBrokers as RealBrokers
    from ._real import RealClock as RealClock
    from ._run import run_service as run_service
    from ._run import start_service as start_service
    from ._runner import ServiceSource as ServiceSource
    from ._runner import ServiceStartupError as ServiceStartupError
    from ._runner import ServiceUnderTest as ServiceUnderTest

# Loaded on first use, so that the pytest plugin (a module of this package) stays light to load and
# the brokers import the transports' fakes and clients only when a test uses them.
_LAZY = {
    "Broker": "._broker",
    "LogLine": "._logs",
    "Logs": "._logs",
    "InMemoryBroker": "._memory",
    "RealBrokers": "._real",
    "RealClock": "._real",
    "ServiceSource": "._runner",
    "ServiceStartupError": "._runner",
    "ServiceUnderTest": "._runner",
    "run_service": "._run",
    "start_service": "._run",
}

__all__ = [
    "Broker",
    "InMemoryBroker",
    "LogLine",
    "Logs",
    "RealBrokers",
    "RealClock",
    "ServiceSource",
    "ServiceStartupError",
    "ServiceUnderTest",
    "run_service",
    "start_service",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module_name, __name__), name)
    globals()[name] = value
    return value
