"""The ``tomodachi`` command line: ``tomodachi run <service.py ...>`` and friends.

Exit codes: 0 after a normal stop, 1 when a service cannot start (or has no handlers), 2 for a bad
command line, N after ``tomodachi.exit(N)``.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from tomodachi.__about__ import __version__

from ._run_options import RunOptions, UsageError, parse_run_options
from ._usage import MAIN_USAGE, RUN_USAGE

RUN_COMMANDS = ("run", "start", "go")
_RUN_OPTIONS = (
    "-l",
    "--log",
    "--log-level",
    "--logger",
    "--custom-logger",
    "--production",
    "--loop",
    "-c",
    "--config",
)
_DEPENDENCIES = (
    "aioamqp",
    "aiobotocore",
    "aiohttp",
    "botocore",
    "protobuf",
    "uvloop",
    "structlog",
    "watchfiles",
    "opentelemetry-api",
    "opentelemetry-sdk",
    "opentelemetry-instrumentation",
    "tomodachi-envelope",
    "tomodachi-middleware",
    "tomodachi-transport-http",
    "tomodachi-transport-awssnssqs",
    "tomodachi-transport-amqp",
    "tomodachi-scheduler",
)


def _usage_error(message: str, hint: str | None = None) -> NoReturn:
    print(f"error: {message}", file=sys.stderr)
    if hint:
        print(hint, file=sys.stderr)
    print("use the '--help' option for cli usage help.", file=sys.stderr)
    raise SystemExit(2)


def dependency_versions() -> list[str]:
    """``name/version`` for each library tomodachi runs on that is installed."""
    from importlib import metadata  # imported here: it is slow to import, and only this needs it

    lines = []
    for name in _DEPENDENCIES:
        try:
            lines.append(f"{name}/{metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return lines


def run_command(args: list[str]) -> NoReturn:
    """``tomodachi run <args>``: runs the services, then exits the process with their exit code."""
    if not args:
        print(RUN_USAGE)
        raise SystemExit(0)
    try:
        options = parse_run_options(args)
    except UsageError as exc:
        _usage_error(str(exc))
    if options.help:
        print(RUN_USAGE)
        raise SystemExit(0)
    raise SystemExit(_run(options))


def _run(options: RunOptions) -> int:
    from tomodachi._config import ConfigFileError, read_config_files
    from tomodachi._contextvars import get_contextvar
    from tomodachi._run import run_services
    from tomodachi.logging import configure, reset

    try:
        configuration = read_config_files(options.config_files)
    except ConfigFileError as exc:
        _usage_error(str(exc))
    if options.loop == "uvloop":
        try:
            import uvloop  # noqa: F401
        except ImportError:
            _usage_error(
                "The 'uvloop' package needs to be installed to use uvloop: pip install 'tomodachi[uvloop]'"
            )
    try:
        configure(options.log_level, options.logger, options.custom_logger)
    except ValueError as exc:
        _usage_error(str(exc))
    if options.opentelemetry_instrument:
        try:
            from tomodachi.opentelemetry.auto_instrumentation import initialize
        except ImportError:
            _usage_error(
                "OpenTelemetry instrumentation needs the extra: pip install 'tomodachi[opentelemetry]'"
            )
        initialize()
    get_contextvar("loop.setting").set(options.loop)
    get_contextvar("run.args").set(options)
    try:
        return run_services(
            options.files, configuration, loop_setting=options.loop, production=options.production
        )
    finally:
        reset()


def main(argv: list[str]) -> NoReturn:
    """Dispatches ``tomodachi <argv>``."""
    if not argv or argv[0] in ("-h", "--help"):
        print(MAIN_USAGE)
        raise SystemExit(0)
    command, rest = argv[0], argv[1:]
    if command in ("-v", "-V", "--version"):
        print(f"tomodachi {__version__}")
        raise SystemExit(0)
    if command in ("--dependency-versions", "--dependencies", "--deps"):
        print("\n".join(dependency_versions()))
        raise SystemExit(0)
    if command in RUN_COMMANDS:
        run_command(rest)
    if command in _RUN_OPTIONS or command.startswith("--log"):
        files = [arg for arg in argv if arg.endswith(".py")]
        hint = f"did you mean: tomodachi run {' '.join(argv)}" if files else None
        _usage_error("the command 'run' must be specified before any options", hint)
    if command.endswith(".py"):
        _usage_error(f"unknown command {command!r}", f"did you mean: tomodachi run {' '.join(argv)}")
    _usage_error(f"unknown command {command!r}")


def cli_entrypoint(argv: list[str] | None = None) -> NoReturn:
    """Entry point of the ``tomodachi`` console script and of ``python -m tomodachi``."""
    arguments = sys.argv if argv is None else argv
    main(list(arguments[1:]))
