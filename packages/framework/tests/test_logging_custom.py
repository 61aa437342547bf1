import logging
from pathlib import Path
from typing import Any

import pytest

from tomodachi.logging import (
    StderrHandler,
    configure,
    get_logger,
)

Call = tuple[str, str, dict[str, Any]]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def _record(self, level: str, event: str, context: dict[str, Any]) -> None:
        self.calls.append((level, event, context))

    def debug(self, event: str, **context: Any) -> None:
        self._record("debug", event, context)

    def info(self, event: str, **context: Any) -> None:
        self._record("info", event, context)

    def warning(self, event: str, **context: Any) -> None:
        self._record("warning", event, context)

    def error(self, event: str, **context: Any) -> None:
        self._record("error", event, context)

    def critical(self, event: str, **context: Any) -> None:
        self._record("critical", event, context)


def test_custom_logger_receives_each_event_with_its_context(capsys: pytest.CaptureFixture[str]) -> None:
    recorder = Recorder()
    configure("info", "custom", recorder)
    get_logger("my.app").bind(order_id=42).warning("low stock", left=1)

    ((level, event, context),) = recorder.calls
    assert (level, event) == ("warning", "low stock")
    assert list(context) == ["logger", "timestamp", "order_id", "left"]
    assert (context["logger"], context["order_id"], context["left"]) == ("my.app", 42, 1)
    assert context["timestamp"].endswith("Z")
    assert capsys.readouterr().err == ""


def test_custom_logger_receives_stdlib_records_and_exceptions() -> None:
    recorder = Recorder()
    configure("info", "custom", recorder)
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("tomodachi.amqp").exception("handler failed", extra={"routing_key": "orders"})

    ((level, event, context),) = recorder.calls
    assert (level, event, context["logger"], context["routing_key"]) == (
        "error",
        "handler failed",
        "tomodachi.amqp",
        "orders",
    )
    assert context["exc_info"][0] is ValueError


def test_custom_class_is_called_with_the_context() -> None:
    received: list[tuple[dict[str, Any], str, dict[str, Any]]] = []

    class PerEvent:
        def __init__(self, **context: Any) -> None:
            self.context = context

        def info(self, event: str, **context: Any) -> None:
            received.append((self.context, event, context))

    configure("info", "custom", PerEvent)
    get_logger("my.app").info("hello", n=1)

    ((made_with, event, context),) = received
    assert made_with == context
    assert (event, context["logger"], context["n"]) == ("hello", "my.app", 1)


def test_custom_logger_with_new_or_get_logger_is_asked_for_a_logger_per_event() -> None:
    recorder = Recorder()

    class WithNew:
        def new(self) -> Recorder:
            return recorder

    class WithGetLogger:
        def get_logger(self) -> Recorder:
            return recorder

    configure("info", "custom", WithNew())
    get_logger("first").info("one")
    configure("info", "custom", WithGetLogger())
    get_logger("second").info("two")

    assert [(event, context["logger"]) for _, event, context in recorder.calls] == [
        ("one", "first"),
        ("two", "second"),
    ]


def test_custom_logger_is_imported_from_a_dotted_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "custom_logger_for_tests.py").write_text(
        "import sys\n"
        "class Printer:\n"
        "    def info(self, event, **context):\n"
        "        print('custom', context['logger'], event, context['n'])\n"
        "logger = Printer()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    configure("info", custom_logger="custom_logger_for_tests.logger")
    get_logger("my.app").info("hello", n=7)

    assert capsys.readouterr().out == "custom my.app hello 7\n"


def test_unimportable_custom_logger_raises_value_error() -> None:
    with pytest.raises(ValueError, match="could not be imported"):
        configure("info", "custom", "no_such_module_for_tomodachi.logger")
    with pytest.raises(ValueError, match="invalid custom logger"):
        configure("info", "custom", "not a path")


def test_custom_logger_that_cannot_log_raises_value_error() -> None:
    with pytest.raises(ValueError, match="cannot log"):
        configure("info", "custom", 42)


def test_custom_format_needs_a_custom_logger_and_a_custom_logger_needs_the_custom_format() -> None:
    with pytest.raises(ValueError, match="needs a custom logger"):
        configure("info", "custom")
    with pytest.raises(ValueError, match="needs the 'custom' logger format"):
        configure("info", "json", Recorder())


def test_stdlib_logging_module_as_custom_logger_leaves_output_to_stdlib_logging() -> None:
    configure("info", "custom", "logging")

    assert not any(isinstance(handler, StderrHandler) for handler in logging.getLogger().handlers)


def test_stdlib_logger_as_custom_logger_gets_each_event_once(caplog: pytest.LogCaptureFixture) -> None:
    target = logging.getLogger("custom.target.for.tests")
    configure("info", "custom", target)
    caplog.set_level(logging.INFO)
    get_logger("my.app").info("hello", n=1)

    delivered = [record for record in caplog.records if record.name == "custom.target.for.tests"]
    assert [(record.getMessage(), vars(record)["n"], vars(record)["logger"]) for record in delivered] == [
        ("hello", 1, "my.app")
    ]


def test_what_a_custom_logger_logs_itself_is_not_handed_back_to_it() -> None:
    calls: list[str] = []

    class Chatty:
        def info(self, event: str, **context: Any) -> None:
            calls.append(event)
            logging.getLogger("chatty").warning("delivered %s", event)

    configure("info", "custom", Chatty())
    get_logger("my.app").info("hello")

    assert calls == ["hello"]
