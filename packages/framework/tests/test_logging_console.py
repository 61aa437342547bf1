import logging
import re
import sys
from pathlib import Path

import pytest

from tomodachi._logging.colors import color_preference
from tomodachi.logging import configure, get_logger

TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"
ESCAPE = "\x1b["
COLOR_VARIABLES = (
    "NO_COLOR",
    "NOCOLOR",
    "TOMODACHI_NO_COLOR",
    "TOMODACHI_NOCOLOR",
    "CLICOLOR",
    "CLI_COLOR",
    "CLICOLOR_FORCE",
)


@pytest.fixture(autouse=True)
def no_color_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in COLOR_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_console_line_has_timestamp_level_message_logger_and_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure("info", "console")
    get_logger("my.app").bind(order_id=42).info("order accepted", amount=10, note="two words")

    line = capsys.readouterr().err.rstrip("\n")
    timestamp, rest = line.split(" ", 1)
    assert re.fullmatch(TIMESTAMP, timestamp)
    assert rest == "[info     ] order accepted" + " " * 17 + "[my.app] order_id=42 amount=10 note='two words'"


def test_console_pads_the_level_to_nine_and_the_message_to_thirty(capsys: pytest.CaptureFixture[str]) -> None:
    configure("debug", "console")
    get_logger("a").warning("x")
    get_logger("b").debug("a message that is longer than thirty characters")

    first, second = capsys.readouterr().err.splitlines()
    assert first.split(" ", 1)[1] == "[warning  ] x" + " " * 30 + "[a]"
    assert second.split(" ", 1)[1] == "[debug    ] a message that is longer than thirty characters [b]"


def test_console_writes_an_empty_message_as_padding(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "console")
    get_logger("tomodachi.http.response").info("", status_code=200)

    assert (
        capsys.readouterr().err.split(" ", 1)[1]
        == "[info     ] " + " " * 31 + "[tomodachi.http.response] status_code=200\n"
    )


def test_console_has_no_colors_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "console")
    get_logger("my.app").error("failed", code=1)

    assert ESCAPE not in capsys.readouterr().err


def test_console_colors_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> int:
            self.text += text
            return len(text)

        def flush(self) -> None:
            return None

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    configure("info", "console")
    get_logger("my.app").info("hello", code=1)

    assert "\x1b[32minfo     \x1b[0m" in terminal.text
    assert "hello" in terminal.text


def test_clicolor_force_colors_output_that_is_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLICOLOR_FORCE", "1")
    configure("info", "console")
    get_logger("my.app").info("hello")

    assert ESCAPE in capsys.readouterr().err


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NO_COLOR", "1"),
        ("NOCOLOR", "true"),
        ("TOMODACHI_NO_COLOR", "1"),
        ("TOMODACHI_NOCOLOR", "TRUE"),
        ("CLICOLOR", "0"),
        ("CLI_COLOR", "false"),
    ],
)
def test_color_switches_turn_colors_off_even_when_forced(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], variable: str, value: str
) -> None:
    monkeypatch.setenv("CLICOLOR_FORCE", "1")
    monkeypatch.setenv(variable, value)
    configure("info", "console")
    get_logger("my.app").info("hello", code=1)

    err = capsys.readouterr().err
    assert "hello" in err
    assert ESCAPE not in err


def test_no_color_console_never_colors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CLICOLOR_FORCE", "1")
    configure("info", "no_color_console")
    get_logger("my.app").info("hello")

    err = capsys.readouterr().err
    assert "hello" in err
    assert ESCAPE not in err


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, None),
        ({"NO_COLOR": ""}, None),
        ({"NO_COLOR": "0"}, None),
        ({"NO_COLOR": "1"}, False),
        ({"CLICOLOR_FORCE": "0"}, False),
        ({"CLICOLOR_FORCE": "1"}, True),
        ({"CLICOLOR": "1"}, None),
        ({"CLICOLOR_FORCE": "1", "TOMODACHI_NO_COLOR": "true"}, False),
    ],
)
def test_color_preference_reads_the_switches(environ: dict[str, str], expected: bool | None) -> None:
    assert color_preference(environ) is expected


def _fail() -> None:
    raise ValueError("it broke")


def test_console_adds_exception_fields_and_prints_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(Path(__file__).parent)
    configure("info", "console")
    try:
        _fail()
    except ValueError:
        get_logger("my.app").exception("handler failed")

    line, *traceback_lines = capsys.readouterr().err.splitlines()
    location = f"./{Path(__file__).name}:{_fail.__code__.co_firstlineno + 1}"
    assert line.endswith(
        "[my.app] exc_type=ValueError exc_message='it broke' "
        f"tb_module_name={__name__} tb_function_name=_fail tb_location=<{location}>"
    )
    assert traceback_lines[0] == "Traceback (most recent call last):"
    assert traceback_lines[-1] == "ValueError: it broke"


def test_console_formats_stdlib_records_with_their_extra_fields(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "console")
    logging.getLogger("tomodachi.http").info("accepting http requests", extra={"listen_port": 8080})

    line = capsys.readouterr().err.rstrip("\n")
    assert (
        line.split(" ", 1)[1]
        == "[info     ] accepting http requests        [tomodachi.http] listen_port=8080"
    )
