import io
import logging
import sys

import pytest

from tomodachi.logging import (
    StderrHandler,
    configure,
    get_default_formatter,
    get_logger,
    reset,
    set_default_formatter,
)


def _our_handlers() -> list[logging.Handler]:
    return [handler for handler in logging.getLogger().handlers if isinstance(handler, StderrHandler)]


def test_configure_twice_writes_each_line_once(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    configure("info", "json")
    get_logger("my.app").info("once")

    assert capsys.readouterr().err.count("once") == 1
    assert len(_our_handlers()) == 1


def test_reset_removes_the_handler_and_restores_the_root_level(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    level_before = root.level
    configure("debug", "json")
    reset()
    get_logger("my.app").info("after reset")

    assert _our_handlers() == []
    assert root.level == level_before
    assert "after reset" not in capsys.readouterr().err


def test_invalid_format_name_raises_value_error_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure("info", "json")
    with pytest.raises(ValueError, match="invalid logger format 'fancy'"):
        configure("debug", "fancy")
    with pytest.raises(ValueError, match="invalid logger format"):
        set_default_formatter("fancy")
    get_logger("my.app").debug("not shown")
    get_logger("my.app").info("still json")

    err = capsys.readouterr().err
    assert err.startswith('{"timestamp": ')
    assert "not shown" not in err


@pytest.mark.parametrize("level", ["verbose", "", True])
def test_invalid_level_raises_value_error(level: object) -> None:
    with pytest.raises(ValueError, match="invalid log level"):
        configure(level, "console")  # type: ignore[arg-type]


@pytest.mark.parametrize(("level", "shown"), [("debug", 3), ("INFO", 2), ("warning", 1), (logging.ERROR, 0)])
def test_configure_sets_the_level(capsys: pytest.CaptureFixture[str], level: int | str, shown: int) -> None:
    configure(level, "json")
    logger = get_logger("my.app")
    logger.debug("d")
    logger.info("i")
    logger.warning("w")

    assert len(capsys.readouterr().err.splitlines()) == shown


def test_disabled_format_writes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    configure("debug", "disabled")
    get_logger("my.app").critical("not written")
    logging.getLogger("some.library").error("not written either")

    assert capsys.readouterr().err == ""


def test_disabled_format_still_lets_records_propagate(caplog: pytest.LogCaptureFixture) -> None:
    configure("info", "disabled")
    get_logger("my.app").warning("seen by other handlers")

    assert [record.getMessage() for record in caplog.records] == ["seen by other handlers"]


def test_handler_writes_to_the_stderr_of_the_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    configure("info", "no_color_console")
    swapped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", swapped)
    get_logger("my.app").info("to the new stream")

    assert "to the new stream" in swapped.getvalue()


def test_set_default_formatter_switches_the_format_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "no_color_console")
    set_default_formatter("json")
    get_logger("my.app").info("now json")

    assert capsys.readouterr().err.startswith('{"timestamp": ')
    assert get_default_formatter() == "json"


def test_configure_without_a_format_uses_the_chosen_one(capsys: pytest.CaptureFixture[str]) -> None:
    set_default_formatter("json")
    configure("info")
    get_logger("my.app").info("chosen")

    assert capsys.readouterr().err.startswith('{"timestamp": ')


def test_the_format_choice_outlives_reset(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    reset()
    configure("info")
    get_logger("my.app").info("still json")

    assert capsys.readouterr().err.startswith('{"timestamp": ')


def test_configure_quiets_chatty_third_party_loggers() -> None:
    configure("debug", "console")

    for name in ("aiohttp.access", "aioamqp.protocol", "aioamqp.channel"):
        assert logging.getLogger(name).level == logging.WARNING
    assert (
        logging.getLogger("botocore.vendored.requests.packages.urllib3.connectionpool").level
        == logging.WARNING
    )


def test_format_names_are_case_insensitive(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", " JSON ")
    get_logger("my.app").info("json")

    assert capsys.readouterr().err.startswith('{"timestamp": ')
