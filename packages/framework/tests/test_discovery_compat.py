"""``tomodachi.discovery``: the deprecated registries and where the lifecycle calls them."""

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

import tomodachi
import tomodachi.discovery
from tomodachi.discovery import DummyRegistry
from tomodachi.logging import CONTEXT_ATTRIBUTE

RunServices = Callable[..., Awaitable[int]]

SERVICE = """
import tomodachi
from fake_transport import fake
from recorder import CALLS
from tomodachi.discovery import DummyRegistry


class Registry:
    def __init__(self, name, fail_register=False, fail_deregister=False):
        self.name = name
        self.fail_register = fail_register
        self.fail_deregister = fail_deregister

    async def _register_service(self, service):
        CALLS.append(f"register {{self.name}} {{service.name}}")
        if self.fail_register:
            raise RuntimeError(f"{{self.name}} refused the registration")

    async def _deregister_service(self, service):
        CALLS.append(f"deregister {{self.name}} {{service.name}}")
        if self.fail_deregister:
            raise RuntimeError(f"{{self.name}} is gone")


class Listed(tomodachi.Service):
    name = "listed"
    discovery = [{registries}]

    async def _start_service(self):
        CALLS.append("_start_service")

    async def _started_service(self):
        CALLS.append("_started_service")

    async def _stopping_service(self):
        CALLS.append("_stopping_service")

    async def _stop_service(self):
        CALLS.append("_stop_service")

    @fake()
    async def handler(self):
        pass
"""


def write_service(folder: Path, registries: str) -> Path:
    path = folder / "listed.py"
    path.write_text(SERVICE.format(registries=registries))
    return path


async def run_with_discovery(run_services: RunServices, path: Path, **options: Any) -> int:
    with pytest.warns(DeprecationWarning, match="discovery"):
        return await run_services(path, **options)


def test_dummy_registry_is_reachable_under_its_0_29_names() -> None:
    assert tomodachi.discovery.dummy is DummyRegistry
    assert tomodachi.discovery.example is DummyRegistry
    assert tomodachi.discovery.dummy_registry.DummyRegistry is DummyRegistry
    assert DummyRegistry.name == "tomodachi.discovery.example"


def test_aws_sns_registration_is_not_provided() -> None:
    assert not hasattr(tomodachi.discovery, "AWSSNSRegistration")


async def test_dummy_registry_records_endpoints_and_forgets_them_on_deregister() -> None:
    service = object()

    await DummyRegistry.add_http_endpoint(service, "127.0.0.1", 9700, "GET", r"/health/?")
    await DummyRegistry._register_service(service)
    recorded = list(DummyRegistry.http_endpoints[service])
    await DummyRegistry._deregister_service(service)

    assert recorded == [("127.0.0.1", 9700, "GET", r"/health/?")]
    assert service not in DummyRegistry.http_endpoints


async def test_registries_are_called_after_transports_start_and_before_they_drain(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    path = write_service(service_folder, 'Registry("first"), Registry("second")')

    exit_code = await run_with_discovery(run_services, path)

    assert exit_code == 0
    assert calls == [
        "create_runtime handler",
        "_start_service",
        "start",
        "register first listed",
        "register second listed",
        "_started_service",
        "consume",
        "_stopping_service",
        "deregister first listed",
        "deregister second listed",
        "drain",
        "_stop_service",
        "close",
    ]


async def test_registration_runs_in_the_discovery_logger_context(
    service_folder: Path, run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    path = write_service(service_folder, "DummyRegistry")

    await run_with_discovery(run_services, path)

    (record,) = [
        record for record in caplog.records if record.getMessage() == "registering service endpoints"
    ]
    context = vars(record)[CONTEXT_ATTRIBUTE]
    assert record.name == "tomodachi.discovery"
    assert (context["registry"], context["operation"]) == ("tomodachi.discovery.example", "register")
    assert "deregistering service" in [record.getMessage() for record in caplog.records]


async def test_failing_registration_stops_the_start_with_exit_code_1(
    service_folder: Path, calls: list[str], run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_service(service_folder, 'Registry("first", fail_register=True), Registry("second")')

    exit_code = await run_with_discovery(run_services, path, stop_after=None)

    assert exit_code == 1
    assert "register second listed" not in calls
    assert "_started_service" not in calls
    assert "consume" not in calls
    # A registration that was attempted is withdrawn at teardown.
    assert "deregister first listed" in calls
    messages = [record.getMessage() for record in caplog.records]
    assert "uncaught exception: first refused the registration" in messages
    assert "failed to start service" in messages


async def test_failing_deregistration_is_logged_and_the_next_registry_still_runs(
    service_folder: Path, calls: list[str], run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_service(service_folder, 'Registry("first", fail_deregister=True), Registry("second")')

    exit_code = await run_with_discovery(run_services, path)

    assert exit_code == 0
    assert "deregister second listed" in calls
    assert calls[-2:] == ["_stop_service", "close"]
    assert "uncaught exception: first is gone" in [record.getMessage() for record in caplog.records]


async def test_registry_without_the_methods_is_skipped(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    path = write_service(service_folder, "object()")

    exit_code = await run_with_discovery(run_services, path)

    assert exit_code == 0
    assert calls[-1] == "close"
