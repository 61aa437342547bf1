"""``tomodachi run`` options, from the command line and the environment (``parse_run_options``)."""

import pytest

from tomodachi.cli._run_options import RunOptions, UsageError, parse_run_options

ENVIRONMENT = (
    "TOMODACHI_LOOP",
    "TOMODACHI_LOG_LEVEL",
    "TOMODACHI_LOGGER",
    "TOMODACHI_CUSTOM_LOGGER",
    "TOMODACHI_PRODUCTION",
    "TOMODACHI_OPENTELEMETRY_INSTRUMENT",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def test_defaults_with_one_service_file() -> None:
    assert parse_run_options(["service.py"]) == RunOptions(files=["service.py"])


def test_service_files_keep_their_order_without_repeats() -> None:
    options = parse_run_options(["b.py", "a.py", "b.py", "c"])

    assert options.files == ["b.py", "a.py", "c"]


def test_no_service_file_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no service file has been provided"):
        parse_run_options(["--production"])


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_is_returned_without_checking_anything_else(flag: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOMODACHI_LOOP", "not-a-loop")

    options = parse_run_options(["--loop", "also-wrong", flag])

    assert options.help is True


def test_production_flag() -> None:
    assert parse_run_options(["--production", "service.py"]).production is True


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("yes", True), ("0", False), ("false", False), ("", False)]
)
def test_production_from_the_environment(value: str, expected: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOMODACHI_PRODUCTION", value)

    assert parse_run_options(["service.py"]).production is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("auto", "auto"),
        ("default", "auto"),
        ("asyncio", "asyncio"),
        ("aio", "asyncio"),
        ("async", "asyncio"),
        ("uvloop", "uvloop"),
        ("libuv", "uvloop"),
        ("uv", "uvloop"),
        ("UVLOOP", "uvloop"),
    ],
)
def test_loop_names_and_aliases(value: str, expected: str) -> None:
    assert parse_run_options(["--loop", value, "service.py"]).loop == expected


def test_invalid_loop_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="invalid --loop value 'trio'"):
        parse_run_options(["--loop", "trio", "service.py"])


def test_loop_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOMODACHI_LOOP", "asyncio")

    assert parse_run_options(["service.py"]).loop == "asyncio"


def test_command_line_that_contradicts_the_environment_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOMODACHI_LOOP", "asyncio")

    with pytest.raises(UsageError, match=r"differs from TOMODACHI_LOOP \(asyncio\)"):
        parse_run_options(["--loop", "uvloop", "service.py"])


def test_command_line_that_agrees_with_the_environment_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOMODACHI_LOG_LEVEL", "debug")

    assert parse_run_options(["--log-level", "debug", "service.py"]).log_level == "debug"


@pytest.mark.parametrize("flag", ["-l", "--log", "--log-level"])
def test_log_level_options_are_lower_cased(flag: str) -> None:
    assert parse_run_options([flag, "WARNING", "service.py"]).log_level == "warning"


def test_invalid_log_level_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="invalid --log-level value 'loud'"):
        parse_run_options(["--log-level", "loud", "service.py"])


def test_log_level_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOMODACHI_LOG_LEVEL", "error")

    assert parse_run_options(["service.py"]).log_level == "error"


@pytest.mark.parametrize("logger", ["console", "json", "python", "disabled"])
def test_logger_formats(logger: str) -> None:
    assert parse_run_options(["--logger", logger.upper(), "service.py"]).logger == logger


def test_invalid_logger_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="invalid --logger value 'xml'"):
        parse_run_options(["--logger", "xml", "service.py"])


def test_logger_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOMODACHI_LOGGER", "json")

    assert parse_run_options(["service.py"]).logger == "json"


def test_custom_logger_selects_the_custom_format() -> None:
    options = parse_run_options(["--custom-logger", "my_app.Logging", "service.py"])

    assert (options.logger, options.custom_logger) == ("custom", "my_app.Logging")


def test_custom_logger_from_the_environment_is_kept_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOMODACHI_CUSTOM_LOGGER", "My_App.Logging")

    options = parse_run_options(["service.py"])

    assert (options.logger, options.custom_logger) == ("custom", "My_App.Logging")


def test_custom_logger_with_another_format_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Invalid combination of --custom-logger and --logger"):
        parse_run_options(["--custom-logger", "my_app.Logging", "--logger", "json", "service.py"])


def test_custom_format_without_a_custom_logger_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="Invalid combination of --custom-logger and --logger"):
        parse_run_options(["--logger", "custom", "service.py"])


def test_opentelemetry_flag_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    flagged = parse_run_options(["--opentelemetry-instrument", "service.py"])
    monkeypatch.setenv("TOMODACHI_OPENTELEMETRY_INSTRUMENT", "true")
    from_environment = parse_run_options(["service.py"])

    assert flagged.opentelemetry_instrument is True
    assert from_environment.opentelemetry_instrument is True


@pytest.mark.parametrize("args", [["service.py", "--loop"], ["--logger", "--production", "service.py"]])
def test_option_without_its_value_is_a_usage_error(args: list[str]) -> None:
    with pytest.raises(UsageError, match="needs a value"):
        parse_run_options(args)


def test_unknown_option_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown option for 'tomodachi run': --fast"):
        parse_run_options(["--fast", "service.py"])


@pytest.mark.parametrize("flag", ["-c", "--config"])
def test_config_takes_files_up_to_the_next_py_file(flag: str) -> None:
    options = parse_run_options([flag, "base.json", "local.json", "service.py", "other.py"])

    assert options.config_files == ["base.json", "local.json"]
    assert options.files == ["service.py", "other.py"]


def test_config_takes_files_up_to_the_next_option() -> None:
    options = parse_run_options(["-c", "base.json", "--production", "service"])

    assert options.config_files == ["base.json"]
    assert options.files == ["service"]
    assert options.production is True


def test_config_takes_a_service_name_without_suffix_as_a_config_file() -> None:
    with pytest.raises(UsageError, match="no service file"):
        parse_run_options(["-c", "base.json", "service"])


def test_config_can_be_given_more_than_once() -> None:
    options = parse_run_options(["-c", "a.json", "service.py", "--config", "b.json"])

    assert options.config_files == ["a.json", "b.json"]
    assert options.files == ["service.py"]


def test_config_without_a_file_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="the option -c needs a value"):
        parse_run_options(["service.py", "-c", "--production"])
