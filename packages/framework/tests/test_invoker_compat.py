"""``tomodachi.invoker``: 0.29-style transports (``Invoker.decorator``) on the transport contract."""

import importlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import pytest

import tomodachi
import tomodachi.invoker
from tomodachi._handlers import specs_by_transport
from tomodachi._invoker import InvokerSpec
from tomodachi.invoker import FUNCTION_ATTRIBUTE, INVOKER_TASK_START_KEYWORD, START_ATTRIBUTE, Invoker
from tomodachi_middleware import handler_specs

RunServices = Callable[..., Awaitable[int]]


class Recording(Invoker):
    """A 0.29-style transport that records what it is given."""

    @classmethod
    async def subscribe(cls, obj: Any, context: dict[str, Any], func: Any, *args: Any, **kwargs: Any) -> Any:
        context.setdefault("_recording", []).append((func.__name__, args, kwargs))
        if len(context["_recording"]) > 1:
            return None

        async def start() -> None:
            context["_recording_started"] = [name for name, _, _ in context["_recording"]]

        return start


subscribe = Recording.decorator(Recording.subscribe)


def test_constants_have_the_0_29_values() -> None:
    assert FUNCTION_ATTRIBUTE == "_tomodachi_function_is_invoker_function"
    assert START_ATTRIBUTE == "_tomodachi_deprecated_invoker_function_start_marker"
    assert INVOKER_TASK_START_KEYWORD == "_tomodachi_invoker_task_start_keyword"


def test_decorator_is_the_facade_decorator_under_every_import_path() -> None:
    submodule = importlib.import_module("tomodachi.invoker.decorator")

    assert tomodachi.invoker.decorator is tomodachi.decorator
    assert submodule.decorator is tomodachi.decorator
    assert tomodachi.invoker.decorator is tomodachi.decorator  # importing the submodule changed nothing


def test_invoker_is_importable_from_the_0_29_base_module() -> None:
    base = importlib.import_module("tomodachi.invoker.base")

    assert base.Invoker is Invoker
    assert base.FUNCTION_ATTRIBUTE == FUNCTION_ATTRIBUTE


async def test_decorated_method_behaves_as_before_when_called() -> None:
    class Orders(tomodachi.Service):
        @subscribe("orders", competing=True)
        async def on_order(self, value: int) -> int:
            return value * 2

    assert await Orders().on_order(21) == 42
    assert Orders.on_order.__name__ == "on_order"
    assert getattr(Orders.on_order, FUNCTION_ATTRIBUTE) is True


def test_bare_and_called_forms_record_their_arguments() -> None:
    class Orders(tomodachi.Service):
        @subscribe
        async def bare(self) -> None:
            pass

        @subscribe("orders", 5, competing=True)
        async def called(self) -> None:
            pass

    (bare,) = cast(tuple[InvokerSpec], handler_specs(Orders.bare))
    (called,) = cast(tuple[InvokerSpec], handler_specs(Orders.called))
    assert (bare.args, bare.kwargs) == ((), {})
    assert (called.args, called.kwargs) == (("orders", 5), {"competing": True})


def test_specs_of_one_invoker_class_share_one_transport() -> None:
    class Orders(tomodachi.Service):
        @subscribe("a")
        async def first(self) -> None:
            pass

        @subscribe("b")
        async def second(self) -> None:
            pass

    ((transport, specs),) = specs_by_transport(Orders).items()
    assert transport.name == "Recording"
    assert [spec.handler.__name__ for spec in specs] == ["first", "second"]


def test_stacked_invoker_decorators_keep_both_specs() -> None:
    class Other(Invoker):
        @classmethod
        async def listen(cls, obj: Any, context: dict[str, Any], func: Any) -> None:
            return None

    listen = Other.decorator(Other.listen)

    class Orders(tomodachi.Service):
        @listen
        @subscribe("orders")
        async def handler(self) -> str:
            return "handled"

    transports = specs_by_transport(Orders)
    assert sorted(transport.name for transport in transports) == ["Other", "Recording"]
    # Each transport is given the undecorated function.
    for specs in transports.values():
        assert [spec.handler.__name__ for spec in specs] == ["handler"]


async def test_start_keyword_runs_the_registration_as_0_29s_container_did() -> None:
    class Orders(tomodachi.Service):
        @subscribe("orders")
        async def handler(self) -> None:
            pass

    service = Orders()
    handler: Any = service.handler
    start = await handler(**{INVOKER_TASK_START_KEYWORD: True})
    await start()

    assert vars(service)["context"]["_recording"] == [("handler", ("orders",), {})]
    assert vars(service)["context"]["_recording_started"] == ["handler"]


def test_options_come_from_the_context_as_options() -> None:
    options = tomodachi.Options(http={"port": 8080})

    assert Invoker.options({"options": options}) is options
    assert Invoker.options({"options": {"http.port": 9090}}).http.port == 9090
    assert Invoker.options({}).http.port == tomodachi.Options().http.port


def test_hand_made_invoker_function_is_refused_with_a_clear_error() -> None:
    async def handler(self: Any) -> None:
        pass

    setattr(handler, FUNCTION_ATTRIBUTE, True)
    service_class = type("HandMade", (tomodachi.Service,), {"handler": handler})

    with pytest.raises(TypeError, match=r"HandMade.handler is marked as a tomodachi 0.29 invoker function"):
        specs_by_transport(service_class)


SERVICE = """
import tomodachi
from recorder import CALLS
from tomodachi.invoker import Invoker


class Ticker(Invoker):
    @classmethod
    async def tick(cls, obj, context, func, seconds, *, label="tick"):
        CALLS.append(f"record {func.__name__} {seconds} {label}")
        handlers = context.setdefault("_ticker_handlers", [])
        handlers.append(func)
        if len(handlers) > 1:
            return None

        async def start():
            CALLS.append(f"start with {len(handlers)} handlers, port {cls.options(context).http.port}")
            started = getattr(obj, "_started_service", None)
            stop = getattr(obj, "_stop_service", None)

            async def started_service():
                if started:
                    await started()
                CALLS.append("ticker consuming")

            async def stop_service():
                CALLS.append("ticker stopped")
                if stop:
                    await stop()

            obj._started_service = started_service
            obj._stop_service = stop_service

        return start


tick = Ticker.decorator(Ticker.tick)


class Clock(tomodachi.Service):
    name = "clock"
    options = tomodachi.Options(http={"port": 8123})

    async def _start_service(self):
        CALLS.append("_start_service")

    async def _started_service(self):
        CALLS.append(f"_started_service {self.context['_service_file_path'].endswith('clock.py')}")

    async def _stop_service(self):
        CALLS.append("_stop_service")

    @tick(5)
    async def every_five(self):
        pass

    @tick(1, label="fast")
    async def every_second(self):
        pass
"""


async def test_0_29_style_transport_runs_through_the_lifecycle(
    service_folder: Path, calls: list[str], run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    path = service_folder / "clock.py"
    path.write_text(SERVICE)

    exit_code = await run_services(path)

    assert exit_code == 0
    assert calls == [
        "_start_service",
        "record every_five 5 tick",
        "record every_second 1 fast",
        "start with 2 handlers, port 8123",
        "_started_service True",
        "ticker consuming",
        "ticker stopped",
        "_stop_service",
    ]
    assert "started service successfully" in [record.getMessage() for record in caplog.records]


async def test_failing_registration_of_a_0_29_style_transport_exits_1(
    service_folder: Path, calls: list[str], run_services: RunServices
) -> None:
    path = service_folder / "clock.py"
    path.write_text(
        SERVICE.replace('CALLS.append(f"record', 'raise RuntimeError("no clock"); CALLS.append(f"record')
    )

    exit_code = await run_services(path, stop_after=None)

    assert exit_code == 1
    assert calls == ["_start_service", "_stop_service"]


async def test_service_with_a_hand_made_invoker_function_fails_to_start(
    service_folder: Path, run_services: RunServices, caplog: pytest.LogCaptureFixture
) -> None:
    path = service_folder / "hand_made.py"
    path.write_text(
        """
import tomodachi
from tomodachi.invoker import FUNCTION_ATTRIBUTE


async def handler(self):
    pass


setattr(handler, FUNCTION_ATTRIBUTE, True)


class HandMade(tomodachi.Service):
    handler = handler
"""
    )

    exit_code = await run_services(path, stop_after=None)

    assert exit_code == 1
    messages = [record.getMessage() for record in caplog.records]
    assert any("is marked as a tomodachi 0.29 invoker function" in message for message in messages)
    assert "failed to initialize instance" in messages
