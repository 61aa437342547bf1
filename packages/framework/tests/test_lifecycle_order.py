"""The lifecycle drives hooks and transport runtimes in tomodachi's order, through the real launcher."""

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

import tomodachi

RunServices = Callable[..., Awaitable[int]]

HOOKS = """
    async def _start_service(self):
        CALLS.append("_start_service")

    async def _started_service(self):
        CALLS.append("_started_service")

    async def _stopping_service(self):
        CALLS.append("_stopping_service")

    async def _stop_service(self):
        CALLS.append("_stop_service")
"""


def write_service(folder: Path, body: str, *, hooks: str = HOOKS, name: str = "service.py") -> Path:
    source = f"""
import tomodachi
from fake_transport import fake
from recorder import CALLS


class Recorded(tomodachi.Service):
    name = "recorded"
{hooks}
{body}
"""
    path = folder / name
    path.write_text(source)
    return path


@pytest.fixture(autouse=True)
def info_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records]


async def test_hooks_and_runtime_calls_come_in_tomodachi_order(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    path = write_service(
        service_folder,
        """
    @fake()
    async def handler(self):
        pass
""",
    )

    exit_code = await run_services(path)

    assert exit_code == 0
    assert calls == [
        "create_runtime handler",
        "_start_service",
        "start",
        "_started_service",
        "consume",
        "_stopping_service",
        "drain",
        "_stop_service",
        "close",
    ]


async def test_lifecycle_lines_are_logged_in_order(
    service_folder: Path, run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_service(service_folder, "    @fake()\n    async def handler(self):\n        pass\n")

    await run_services(path)

    lines = [
        "initializing service instance",
        "starting the service",
        "enabled handler functions",
        "started service successfully",
        "stopping service",
        "terminated service",
    ]
    assert [message for message in messages(caplog) if message in lines] == lines


async def test_handlers_reach_one_runtime_per_transport_in_definition_order(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    path = write_service(
        service_folder,
        """
    @fake()
    async def zeta(self):
        pass

    @fake()
    async def alpha(self):
        pass
""",
    )

    await run_services(path)

    assert calls[0] == "create_runtime zeta,alpha"
    assert calls.count("start") == 1


async def test_failing_transport_start_exits_1_still_stops_and_never_consumes(
    service_folder: Path, calls: list[str], run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_service(
        service_folder,
        """
    @fake(fail_start=True)
    async def handler(self):
        pass
""",
    )

    exit_code = await run_services(path, stop_after=None)

    assert exit_code == 1
    assert calls == [
        "create_runtime handler",
        "_start_service",
        "start",
        "_stopping_service",
        "drain",
        "_stop_service",
        "close",
    ]
    assert "uncaught exception: cannot bind the fake port" in messages(caplog)
    assert "failed to start service" in messages(caplog)
    assert "started service successfully" not in messages(caplog)


async def test_failing_start_hook_exits_1_without_starting_transports(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    hooks = HOOKS.replace(
        'CALLS.append("_start_service")',
        'CALLS.append("_start_service")\n        raise RuntimeError("database unreachable")',
    )
    path = write_service(
        service_folder, "    @fake()\n    async def handler(self):\n        pass\n", hooks=hooks
    )

    exit_code = await run_services(path, stop_after=None)

    assert exit_code == 1
    assert "start" not in calls
    assert "consume" not in calls
    assert "_started_service" not in calls
    assert calls[-2:] == ["_stop_service", "close"]


async def test_failing_started_hook_exits_1_and_runs_the_stop_hooks(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    hooks = HOOKS.replace(
        'CALLS.append("_started_service")',
        'CALLS.append("_started_service")\n        raise RuntimeError("no cache")',
    )
    path = write_service(
        service_folder, "    @fake()\n    async def handler(self):\n        pass\n", hooks=hooks
    )

    exit_code = await run_services(path, stop_after=None)

    assert exit_code == 1
    assert "consume" not in calls
    assert calls[-4:] == ["_stopping_service", "drain", "_stop_service", "close"]


async def test_failing_stop_hook_is_logged_and_keeps_exit_code_0(
    service_folder: Path, calls: list[str], run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    hooks = HOOKS.replace(
        'CALLS.append("_stop_service")',
        'CALLS.append("_stop_service")\n        raise RuntimeError("flush failed")',
    )
    path = write_service(
        service_folder, "    @fake()\n    async def handler(self):\n        pass\n", hooks=hooks
    )

    exit_code = await run_services(path)

    assert exit_code == 0
    assert calls[-1] == "close"
    assert "uncaught exception: flush failed" in messages(caplog)
    assert "terminated service" in messages(caplog)


async def test_sync_hooks_are_called_too(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    path = write_service(
        service_folder,
        "    @fake()\n    async def handler(self):\n        pass\n",
        hooks=HOOKS.replace("async def", "def"),
    )

    await run_services(path)

    assert calls[1:] == [
        "_start_service",
        "start",
        "_started_service",
        "consume",
        "_stopping_service",
        "drain",
        "_stop_service",
        "close",
    ]


async def test_service_with_only_hooks_runs_without_transports(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    path = write_service(service_folder, "")

    exit_code = await run_services(path)

    assert exit_code == 0
    assert calls == ["_start_service", "_started_service", "_stopping_service", "_stop_service"]


async def test_file_without_handlers_or_hooks_exits_1(
    service_folder: Path, run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    path = service_folder / "empty.py"
    path.write_text("import tomodachi\n\n\nclass Idle(tomodachi.Service):\n    name = 'idle'\n")

    exit_code = await run_services(path, stop_after=None)

    assert exit_code == 1
    assert "no transport handlers defined" in messages(caplog)


async def test_exception_in_the_service_constructor_exits_1(
    service_folder: Path, calls: list[str], run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    body = """
    def __init__(self):
        raise RuntimeError("bad constructor")

    @fake()
    async def handler(self):
        pass
"""
    path = write_service(service_folder, body)

    exit_code = await run_services(path, stop_after=None)

    assert exit_code == 1
    assert calls == []
    assert "failed to initialize instance" in messages(caplog)


async def test_runtime_that_cannot_be_created_exits_1_with_a_logged_error(
    service_folder: Path, run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    path = service_folder / "broken.py"
    path.write_text(
        """
import tomodachi
from tomodachi_middleware import register_handler


class Refusing:
    name = "refusing"

    def create_runtime(self, service, specs):
        raise ValueError("no runtime for you")


class Spec:
    transport = Refusing()


def refusing(func):
    register_handler(func, Spec())
    return func


class Broken(tomodachi.Service):
    @refusing
    async def handler(self):
        pass
"""
    )

    exit_code = await run_services(path, stop_after=None)

    assert exit_code == 1
    assert "uncaught exception: no runtime for you" in messages(caplog)
    assert "failed to initialize instance" in messages(caplog)


async def test_config_that_cannot_be_applied_exits_1_with_a_logged_error(
    service_folder: Path, calls: list[str], run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_service(service_folder, "    @fake()\n    async def handler(self):\n        pass\n")

    exit_code = await run_services(path, stop_after=None, configuration={"options": {"http": {"prot": 1}}})

    assert exit_code == 1
    assert "failed to setup config" in messages(caplog)
    assert "_start_service" not in calls


async def test_config_is_applied_before_the_hooks_run(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    hooks = HOOKS.replace(
        'CALLS.append("_start_service")',
        'CALLS.append(f"_start_service {self.options.http.port} {self.region}")',
    )
    path = write_service(
        service_folder, "    @fake()\n    async def handler(self):\n        pass\n", hooks=hooks
    )

    await run_services(path, configuration={"options": {"http": {"port": 8181}}, "region": "eu-north-1"})

    assert "_start_service 8181 eu-north-1" in calls


async def test_running_service_is_registered_and_forgotten_after_stop(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    hooks = HOOKS.replace(
        'CALLS.append("_started_service")',
        'CALLS.append(f"_started_service {tomodachi.get_service() is self} "\n'
        '                     f"{tomodachi.get_service(self.name) is self}")',
    )
    path = write_service(
        service_folder, "    @fake()\n    async def handler(self):\n        pass\n", hooks=hooks
    )

    await run_services(path)

    assert "_started_service True True" in calls
    assert tomodachi.get_service("recorded") is None


async def test_two_services_in_one_file_move_through_each_step_together(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    path = service_folder / "two.py"
    path.write_text(
        """
import tomodachi
from fake_transport import fake
from recorder import CALLS


class First(tomodachi.Service):
    name = "first"

    async def _start_service(self):
        CALLS.append("first _start_service")

    async def _started_service(self):
        CALLS.append("first _started_service")

    @fake()
    async def one(self):
        pass


class Second(tomodachi.Service):
    name = "second"

    async def _start_service(self):
        CALLS.append("second _start_service")

    async def _started_service(self):
        CALLS.append("second _started_service")

    @fake()
    async def two(self):
        pass
"""
    )

    await run_services(path)

    starts = [index for index, call in enumerate(calls) if call == "start"]
    start_hooks = [index for index, call in enumerate(calls) if call.endswith(" _start_service")]
    started_hooks = [index for index, call in enumerate(calls) if call.endswith(" _started_service")]
    assert len(starts) == len(start_hooks) == len(started_hooks) == 2
    assert max(start_hooks) < min(starts)
    assert max(starts) < min(started_hooks)
