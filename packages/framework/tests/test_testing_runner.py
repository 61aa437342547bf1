"""tomodachi.testing.run_service: services run in-process through the lifecycle, without a broker."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

import tomodachi
from tomodachi.testing import ServiceStartupError, run_service, start_service


class Greeter(tomodachi.Service):
    name = "greeter"
    options = tomodachi.Options(http=tomodachi.Options.HTTP(port=9999))
    calls: list[str]

    def __init__(self) -> None:
        self.calls = []
        self.greeting = "hello"

    async def _start_service(self) -> None:
        self.calls.append("_start_service")

    async def _started_service(self) -> None:
        self.calls.append("_started_service")

    async def _stop_service(self) -> None:
        self.calls.append("_stop_service")

    @tomodachi.http("GET", r"/greet/(?P<who>[^/]+)")
    async def greet(self, request: Any, who: str) -> str:
        tomodachi.get_logger().info("greeted", who=who)
        return f"{self.greeting} {who}"

    @tomodachi.http("POST", r"/exit/(?P<code>\d+)")
    async def leave(self, request: Any, code: str) -> str:
        tomodachi.exit(int(code))
        return "bye"

    @tomodachi.websocket(r"/echo")
    async def echo(self, websocket: Any) -> Any:
        async def receive(data: str) -> None:
            await websocket.send_str(f"echo {data}")

        return receive


async def test_a_service_answers_http_on_a_free_loopback_port() -> None:
    async with run_service(Greeter) as service:
        response = await service.http.get("/greet/ada")
        assert await response.text() == "hello ada"
        assert service.port not in (0, 9999)
        assert service.url == f"http://127.0.0.1:{service.port}"


async def test_websocket_handlers_answer_through_the_client_session() -> None:
    async with run_service(Greeter) as service, service.http.ws_connect("/echo") as websocket:
        await websocket.send_str("hi")
        message = await asyncio.wait_for(websocket.receive(), 5)
    assert message.data == "echo hi"


async def test_lifecycle_hooks_run_in_order_and_the_instance_is_exposed() -> None:
    async with run_service(Greeter) as service:
        instance = service.instance
        assert isinstance(instance, Greeter)
        assert instance.calls == ["_start_service", "_started_service"]
        assert tomodachi.get_service("greeter") is instance
    assert instance.calls[-1] == "_stop_service"
    assert tomodachi.get_service("greeter") is None


async def test_the_exit_code_is_zero_after_a_stop_and_unknown_while_running() -> None:
    async with run_service(Greeter) as service:
        while_running = (service.exit_code, service.running)
    assert while_running == (None, True)
    assert (service.exit_code, service.running) == (0, False)


async def test_tomodachi_exit_inside_the_service_stops_it_with_the_code() -> None:
    async with run_service(Greeter) as service:
        response = await service.http.post("/exit/3")
        assert await response.text() == "bye"
        assert await service.wait_for_exit(within=5) == 3
        assert service.instance.calls[-1] == "_stop_service"
    assert service.exit_code == 3
    assert tomodachi.SERVICE_EXIT_CODE == tomodachi.DEFAULT_SERVICE_EXIT_CODE


async def test_the_logs_hold_each_line_with_its_structured_fields() -> None:
    async with run_service(Greeter) as service:
        await service.http.get("/greet/grace")
    line = service.logs.first("greeted")
    assert line.fields["who"] == "grace"
    assert line.fields["handler"] == "greet"
    assert line.logger == "tomodachi.http.handler"
    assert line.level == "info"
    assert "started service successfully" in service.logs.messages(logger="tomodachi.lifecycle")
    assert service.logs.find("greeted", who="nobody") == []


async def test_a_missing_log_line_names_what_was_logged() -> None:
    async with run_service(Greeter) as service:
        pass
    with pytest.raises(LookupError, match="started service successfully"):
        service.logs.first("never logged")


async def test_option_overrides_merge_into_the_service_options() -> None:
    async with run_service(
        Greeter, options={"http.client_max_size": 1024, "watcher": {"ignored_dirs": ["x"]}}
    ) as s:
        assert s.instance.options.http.client_max_size == 1024
        assert s.instance.options.watcher.ignored_dirs == ["x"]
        assert s.instance.options.http.port == 0


async def test_an_options_object_replaces_the_service_options_but_the_port_stays_free() -> None:
    options = tomodachi.Options(http=tomodachi.Options.HTTP(content_type="text/html"))
    async with run_service(Greeter, options=options) as service:
        assert service.instance.options.http.content_type == "text/html"
        assert service.instance.options.http.port == 0
    assert options.http.port == 9700


async def test_config_sets_attributes_as_a_config_file_would() -> None:
    async with run_service(Greeter, config={"greeting": "hej"}) as service:
        response = await service.http.get("/greet/bo")
        assert await response.text() == "hej bo"


async def test_start_service_runs_until_stop_is_awaited() -> None:
    service = await start_service(Greeter)
    try:
        assert service.running
    finally:
        assert await service.stop() == 0
    assert service.instance.calls[-1] == "_stop_service"


async def test_the_client_session_is_closed_when_the_service_stops() -> None:
    async with run_service(Greeter) as service:
        session = service.http
        await session.get("/greet/x")
    assert session.closed


async def test_a_service_file_path_runs_every_service_of_the_file(
    tmp_path: Path, isolated_imports: None
) -> None:
    path = tmp_path / "file_service.py"
    path.write_text(
        "import tomodachi\n\n\n"
        "class FileService(tomodachi.Service):\n"
        '    name = "file-service"\n\n'
        '    @tomodachi.http("GET", r"/")\n'
        "    async def index(self, request):\n"
        '        return "from a file"\n'
    )
    async with run_service(str(path)) as service:
        response = await service.http.get("/")
        assert await response.text() == "from a file"
        assert service.instance.name == "file-service"


class Failing(tomodachi.Service):
    name = "failing"

    async def _start_service(self) -> None:
        raise RuntimeError("no database")


async def test_a_service_failing_to_start_raises_with_the_reason_and_the_logs() -> None:
    with pytest.raises(ServiceStartupError, match="failed to start") as caught:
        async with run_service(Failing):
            pytest.fail("the block must not run")
    assert caught.value.exit_code == 1
    assert caught.value.logs.first("no database").level == "error"


class Idle(tomodachi.Service):
    name = "idle"


async def test_a_service_without_handlers_or_hooks_does_not_start() -> None:
    with pytest.raises(ServiceStartupError, match="could not be created") as caught:
        await start_service(Idle)
    assert caught.value.logs.first("no transport handlers defined")


async def test_a_missing_service_file_does_not_start(tmp_path: Path) -> None:
    with pytest.raises(ServiceStartupError, match="no such service file"):
        await start_service(str(tmp_path / "missing.py"))


class Blocked(tomodachi.Service):
    name = "blocked"

    async def _start_service(self) -> None:
        await asyncio.Event().wait()


async def test_a_service_not_ready_in_time_is_stopped() -> None:
    with pytest.raises(ServiceStartupError, match="failed to start") as caught:
        await start_service(Blocked, start_within=0.2)
    assert caught.value.logs.first("not ready in time")


async def test_two_service_classes_run_together_on_ports_of_their_own() -> None:
    class Other(tomodachi.Service):
        name = "other"

        @tomodachi.http("GET", r"/other")
        async def other(self, request: Any) -> str:
            return "other"

    async with run_service(Greeter, Other) as service:
        names = [instance.name for instance in service.instances]
        ports = {runtime.port for runtime in service.runtimes("http")}
        assert names == ["greeter", "other"]
        assert len(ports) == 2
        async with aiohttp.ClientSession() as session:
            statuses = sorted(
                [(await session.get(f"http://127.0.0.1:{port}/other")).status for port in ports]
            )
        assert statuses == [200, 404]  # each service answers on its own port only


async def test_debug_lines_are_captured_at_the_debug_level() -> None:
    async with run_service(Greeter, log_level="debug") as service:
        tomodachi.get_logger("greeter.debug").debug("details", step=1)
    assert service.logs.first("details").fields == {"step": 1}


async def test_an_unknown_log_level_or_no_service_is_refused() -> None:
    with pytest.raises(ValueError, match="invalid log level 'chatty'"):
        await start_service(Greeter, log_level="chatty")
    with pytest.raises(ValueError, match="at least one service"):
        await start_service()


class Hanging(tomodachi.Service):
    name = "hanging"
    starting: asyncio.Event

    async def _start_service(self) -> None:
        type(self).starting.set()
        await asyncio.Event().wait()


async def test_a_start_cancelled_from_outside_stops_what_had_started() -> None:
    root_handlers = list(logging.getLogger().handlers)
    Hanging.starting = asyncio.Event()
    starting = asyncio.create_task(start_service(Hanging))
    await asyncio.wait_for(Hanging.starting.wait(), 5)
    starting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await starting
    assert tomodachi.get_service("hanging") is None
    assert logging.getLogger().handlers == root_handlers


class _UnreachableBroker:
    down = True

    def service_options(self) -> dict[str, Any]:
        return {}

    def attach(self, instance: Any) -> None:
        pass

    @asynccontextmanager
    async def activate(self) -> AsyncIterator[None]:
        if self.down:
            raise ConnectionRefusedError("broker down")
        yield


async def test_a_broker_that_cannot_be_activated_leaves_no_log_capture_behind() -> None:
    root_handlers = list(logging.getLogger().handlers)
    with pytest.raises(ConnectionRefusedError, match="broker down"):
        await start_service(Greeter, broker=_UnreachableBroker())
    assert logging.getLogger().handlers == root_handlers
    assert tomodachi.SERVICE_EXIT_CODE == tomodachi.DEFAULT_SERVICE_EXIT_CODE
