"""The AMQP transport as the facade sees it: names, compat module, handler specs, the runtime contract."""

from __future__ import annotations

import inspect

import tomodachi
import tomodachi.transport.amqp as compat
import tomodachi_transport_amqp
from tomodachi._handlers import specs_by_transport
from tomodachi._transport import TransportRuntime


def test_the_facade_names_are_the_transport_librarys() -> None:
    assert tomodachi.amqp is tomodachi_transport_amqp.amqp
    assert tomodachi.amqp_publish is tomodachi_transport_amqp.amqp_publish


def test_the_compat_module_has_the_names_of_0_29() -> None:
    names = [
        "AmqpTransport",
        "AmqpException",
        "AmqpInternalServiceError",
        "AmqpInternalServiceErrorException",
        "AmqpInternalServiceException",
        "AmqpExclusiveQueueLockedException",
        "AmqpTooManyConsumersException",
        "AmqpConnectionException",
        "AmqpChannelClosed",
        "publish",
    ]
    assert all(hasattr(compat, name) for name in names)
    assert compat.publish is tomodachi.amqp_publish
    assert issubclass(compat.AmqpInternalServiceErrorException, compat.AmqpInternalServiceError)
    assert issubclass(compat.AmqpInternalServiceError, compat.AmqpException)


def test_a_service_handler_is_found_with_the_amqp_transport() -> None:
    class Service(tomodachi.Service):
        name = "facade-amqp"

        @tomodachi.amqp("facade.key")
        async def handler(self, data: object) -> None:
            pass

    (transport, specs), *_ = specs_by_transport(Service).items()
    assert transport.name == "amqp"
    assert [spec.routing_key for spec in specs] == ["facade.key"]
    assert Service.handler.__name__ == "handler"  # the decorator returns the function


async def test_the_runtime_meets_the_contract_and_stops_safely_without_starting() -> None:
    class Service(tomodachi.Service):
        name = "facade-amqp-contract"

        @tomodachi.amqp("facade.contract")
        async def handler(self, data: object) -> None:
            pass

    (transport, specs), *_ = specs_by_transport(Service).items()
    runtime: TransportRuntime = transport.create_runtime(Service(), specs)
    for method in ("start", "consume", "drain", "close"):
        assert inspect.iscoroutinefunction(getattr(runtime, method))
    await runtime.drain()
    await runtime.close()
