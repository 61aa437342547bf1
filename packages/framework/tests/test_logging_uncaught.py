import json
from collections.abc import Iterator

import pytest

from tomodachi.logging import (
    configure,
    log_uncaught_exception,
    reset,
    set_custom_logger,
    set_default_formatter,
)


def _restore() -> None:
    reset()
    set_custom_logger(None)
    set_default_formatter("console")


@pytest.fixture(autouse=True)
def clean_logging() -> Iterator[None]:
    _restore()
    yield
    _restore()


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
