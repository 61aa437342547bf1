import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest
import structlog

from tomodachi.logging import configure, get_logger


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines()]


def test_json_writes_one_object_per_line_with_the_first_keys_in_order(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure("info", "json")
    get_logger("my.app").bind(order_id=42).info("order accepted", amount=10)
    get_logger("my.app").warning("low stock")

    first, second = _lines(capsys)
    assert list(first) == ["timestamp", "logger", "level", "message", "order_id", "amount"]
    assert first["logger"] == "my.app"
    assert first["level"] == "info"
    assert first["message"] == "order accepted"
    assert (first["order_id"], first["amount"]) == (42, 10)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", first["timestamp"])
    assert second["level"] == "warning"


def test_json_writes_values_json_cannot_hold_as_repr(capsys: pytest.CaptureFixture[str]) -> None:
    class Thing:
        def __repr__(self) -> str:
            return "<thing>"

    configure("info", "json")
    get_logger("my.app").info("values", thing=Thing(), items=(1, 2), tuple_keys={(1, 2): "x"})

    (line,) = _lines(capsys)
    assert line["thing"] == "<thing>"
    assert line["items"] == [1, 2]
    assert line["tuple_keys"] == "{(1, 2): 'x'}"


def test_json_leaves_out_ellipsis_values_and_renames_event_and_class(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure("info", "json")
    get_logger("my.app").info("renamed", optional=..., event_="created", class_="order")

    (line,) = _lines(capsys)
    assert "optional" not in line
    assert line["event"] == "created"
    assert line["class"] == "order"


def test_json_keeps_the_first_keys_when_fields_use_their_names(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    get_logger("my.app").info("real", level="fake", timestamp="fake")

    (line,) = _lines(capsys)
    assert line["level"] == "info"
    assert line["timestamp"] != "fake"


def test_json_formats_positional_arguments_into_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    get_logger("my.app").info("%d items for %s", 3, "ada")

    assert _lines(capsys)[0]["message"] == "3 items for ada"


def _fail() -> None:
    raise ValueError("it broke")


def test_json_adds_the_exception_fields(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(Path(__file__).parent)
    configure("info", "json")
    try:
        _fail()
    except ValueError:
        get_logger("my.app").exception("handler failed", handler="orders")

    (line,) = _lines(capsys)
    location = f"./{Path(__file__).name}:{_fail.__code__.co_firstlineno + 1}"
    assert list(line)[4:] == [
        "handler",
        "exception",
        "exc_type",
        "exc_message",
        "tb_module_name",
        "tb_function_name",
        "tb_location",
        "stacktrace",
    ]
    assert line["level"] == "error"
    assert line["exception"] == "ValueError('it broke')"
    assert line["exc_type"] == "ValueError"
    assert line["exc_message"] == "it broke"
    assert line["tb_module_name"] == __name__
    assert line["tb_function_name"] == "_fail"
    assert line["tb_location"] == location
    assert line["stacktrace"][-1] == {"module_name": __name__, "function_name": "_fail", "location": location}
    assert line["stacktrace"][0]["function_name"] == "test_json_adds_the_exception_fields"


def test_json_writes_absolute_locations_outside_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    configure("info", "json")
    try:
        _fail()
    except ValueError:
        get_logger("my.app").exception("handler failed")

    assert _lines(capsys)[0]["tb_location"] == f"{Path(__file__)}:{_fail.__code__.co_firstlineno + 1}"


def _recurse(depth: int) -> None:
    if depth == 0:
        raise RuntimeError("deep")
    _recurse(depth - 1)


def test_json_keeps_the_fifty_innermost_frames(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    try:
        _recurse(70)
    except RuntimeError as exc:
        get_logger("my.app").error("too deep", exc_info=exc)

    stacktrace = _lines(capsys)[0]["stacktrace"]
    assert len(stacktrace) == 50
    assert {frame["function_name"] for frame in stacktrace} == {"_recurse"}


def test_json_nests_the_extra_fields_of_other_libraries(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    logging.getLogger("some.library").warning("retrying", extra={"attempt": 2})

    (line,) = _lines(capsys)
    assert line == {
        "timestamp": line["timestamp"],
        "logger": "some.library",
        "level": "warning",
        "message": "retrying",
        "extra": {"attempt": 2},
    }


def test_json_writes_the_extra_fields_of_tomodachi_loggers_as_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure("info", "json")
    logging.getLogger("tomodachi.http").info(
        "accepting http requests", extra={"listen_url": "http://localhost:9700/", "listen_port": 9700}
    )

    (line,) = _lines(capsys)
    assert list(line) == ["timestamp", "logger", "level", "message", "listen_url", "listen_port"]
    assert line["logger"] == "tomodachi.http"
    assert line["listen_port"] == 9700


def test_json_adds_the_exception_fields_of_stdlib_records(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    try:
        _fail()
    except ValueError as exc:
        logging.getLogger("exception").exception(exc)

    (line,) = _lines(capsys)
    assert (line["logger"], line["level"], line["message"]) == ("exception", "error", "it broke")
    assert line["exc_type"] == "ValueError"


def test_json_includes_structlog_contextvars_before_the_fields(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    structlog.contextvars.bind_contextvars(request_id="r-1")
    try:
        get_logger("my.app").info("with context", step=1)
    finally:
        structlog.contextvars.clear_contextvars()

    (line,) = _lines(capsys)
    assert list(line)[4:] == ["request_id", "step"]
    assert line["request_id"] == "r-1"


def test_json_adds_the_stack_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    get_logger("my.app").info("where", stack_info=True)

    (line,) = _lines(capsys)
    assert line["stack"].startswith("Stack (most recent call last):")
    assert "test_json_adds_the_stack_when_asked" in line["stack"]
