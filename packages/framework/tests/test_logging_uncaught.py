import json

import pytest

from tomodachi.logging import (
    configure,
    log_uncaught_exception,
)


def test_uncaught_exception_is_an_error_on_the_exception_logger(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    try:
        raise RuntimeError("database is gone")
    except RuntimeError as exc:
        log_uncaught_exception(exc, service="orders")

    line = json.loads(capsys.readouterr().err)
    assert (line["logger"], line["level"], line["message"]) == (
        "exception",
        "error",
        "uncaught exception: database is gone",
    )
    assert line["service"] == "orders"
    assert line["exc_type"] == "RuntimeError"
    assert line["tb_function_name"] == "test_uncaught_exception_is_an_error_on_the_exception_logger"


def test_uncaught_exception_works_outside_an_except_block(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    log_uncaught_exception(KeyError("id"))

    line = json.loads(capsys.readouterr().err)
    assert line["message"] == "uncaught exception: 'id'"
    assert line["exception"] == "KeyError('id')"
    assert "tb_location" not in line
