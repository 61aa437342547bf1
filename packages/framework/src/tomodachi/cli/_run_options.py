"""Parsing the options of ``tomodachi run``, from the command line and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

LOOPS = {
    "auto": "auto",
    "default": "auto",
    "asyncio": "asyncio",
    "aio": "asyncio",
    "async": "asyncio",
    "uvloop": "uvloop",
    "libuv": "uvloop",
    "uv": "uvloop",
}
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOGGERS = ("console", "json", "python", "disabled", "custom")
_FALSE = ("", "0", "no", "none", "false")


class UsageError(Exception):
    """Bad command line: the message is printed and the process exits with code 2."""


@dataclass
class RunOptions:
    files: list[str] = field(default_factory=list)
    config_files: list[str] = field(default_factory=list)
    loop: str = "auto"
    production: bool = False
    log_level: str = "info"
    logger: str = "console"
    custom_logger: str | None = None
    opentelemetry_instrument: bool = False
    help: bool = False


def _enabled(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in _FALSE


def _pick(cli: str | None, env_name: str, default: str, what: str) -> str:
    env = os.environ.get(env_name) or None
    if cli is not None and env is not None and cli != env:
        raise UsageError(f"the {what} given on the command line ({cli}) differs from {env_name} ({env})")
    return cli if cli is not None else env if env is not None else default


def _value(args: list[str], index: int, option: str) -> str:
    if index + 1 >= len(args) or args[index + 1].startswith("-"):
        raise UsageError(f"the option {option} needs a value")
    return args[index + 1]


def parse_run_options(args: list[str]) -> RunOptions:
    """The options and service files of ``tomodachi run <args>``.

    Raises:
        UsageError: an unknown option, a missing or invalid value, or conflicting settings.
    """
    options = RunOptions()
    loop = log_level = logger = custom_logger = None
    files: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-h", "--help"):
            options.help = True
        elif arg == "--production":
            options.production = True
        elif arg == "--opentelemetry-instrument":
            options.opentelemetry_instrument = True
        elif arg == "--loop":
            loop, index = _value(args, index, arg), index + 1
        elif arg in ("-l", "--log", "--log-level"):
            log_level, index = _value(args, index, arg).lower(), index + 1
        elif arg == "--logger":
            logger, index = _value(args, index, arg).lower(), index + 1
        elif arg == "--custom-logger":
            custom_logger, index = _value(args, index, arg), index + 1
        elif arg in ("-c", "--config"):
            _value(args, index, arg)
            # Config files run up to the next option or service file (tomodachi took service files too).
            while (
                index + 1 < len(args)
                and not args[index + 1].startswith("-")
                and not args[index + 1].endswith(".py")
            ):
                options.config_files.append(args[index + 1])
                index += 1
        elif arg.startswith("-"):
            raise UsageError(f"unknown option for 'tomodachi run': {arg}")
        elif arg not in files:
            files.append(arg)
        index += 1
    options.files = files
    if options.help:
        return options

    loop_value = _pick(loop, "TOMODACHI_LOOP", "auto", "--loop").lower()
    if loop_value not in LOOPS:
        raise UsageError(f"invalid --loop value {loop_value!r}: use auto, asyncio or uvloop")
    options.loop = LOOPS[loop_value]

    options.log_level = _pick(log_level, "TOMODACHI_LOG_LEVEL", "info", "--log-level").lower()
    if options.log_level not in LOG_LEVELS:
        raise UsageError(f"invalid --log-level value {options.log_level!r}: use {', '.join(LOG_LEVELS)}")

    custom = custom_logger or os.environ.get("TOMODACHI_CUSTOM_LOGGER") or None
    logger_value = _pick(logger, "TOMODACHI_LOGGER", "custom" if custom else "console", "--logger").lower()
    if logger_value not in LOGGERS:
        raise UsageError(f"invalid --logger value {logger_value!r}: use console, json, python or disabled")
    if (custom and logger_value != "custom") or (logger_value == "custom" and not custom):
        raise UsageError("Invalid combination of --custom-logger and --logger options")
    options.logger, options.custom_logger = logger_value, custom

    options.production = options.production or _enabled(os.environ.get("TOMODACHI_PRODUCTION"))
    options.opentelemetry_instrument = options.opentelemetry_instrument or _enabled(
        os.environ.get("TOMODACHI_OPENTELEMETRY_INSTRUMENT")
    )
    if not files:
        raise UsageError("no service file has been provided as argument")
    return options
