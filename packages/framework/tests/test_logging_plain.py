import re

import pytest

from tomodachi.logging import configure, get_logger


def test_python_format_is_the_plain_stdlib_layout_without_fields(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "python")
    get_logger("tomodachi.lifecycle").info("started service successfully", state="ready")

    line = capsys.readouterr().err.rstrip("\n")
    timestamp, rest = line.split(" ", 1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", timestamp)
    assert rest == "[info     ] started service successfully   [tomodachi.lifecycle]"


def test_python_format_prints_the_traceback_after_the_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "python")
    try:
        raise KeyError("missing")
    except KeyError:
        get_logger("my.app").exception("lookup failed")

    lines = capsys.readouterr().err.splitlines()
    assert "[error    ] lookup failed" in lines[0]
    assert lines[1] == "Traceback (most recent call last):"
    assert lines[-1] == "KeyError: 'missing'"
