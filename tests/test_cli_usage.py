"""``tomodachi`` command-line usage: help, versions and misuse."""

from __future__ import annotations

import pytest
from tomodachi_process import Processes

import tomodachi


def test_version_prints_the_version(processes: Processes) -> None:
    process = processes.run("--version")

    assert process.process.returncode == 0
    assert process.stdout.strip() == f"tomodachi {tomodachi.__version__}"


def test_dependency_versions_lists_the_libraries(processes: Processes) -> None:
    process = processes.run("--dependency-versions")

    assert process.process.returncode == 0
    names = [line.split("/")[0] for line in process.stdout.split()]
    assert {"aiohttp", "structlog", "tomodachi-envelope"} <= set(names)


@pytest.mark.parametrize("args", [["--help"], ["-h"], []])
def test_help_prints_usage_and_exits_0(processes: Processes, args: list[str]) -> None:
    process = processes.run(*args)

    assert process.process.returncode == 0
    assert "usage: tomodachi" in process.stdout


@pytest.mark.parametrize("args", [["run", "--help"], ["run", "-h"], ["run"]])
def test_run_help_prints_run_usage_instead_of_running_a_file(processes: Processes, args: list[str]) -> None:
    process = processes.run(*args)

    assert process.process.returncode == 0
    assert "usage: tomodachi run [options] <service.py ...>" in process.stdout
    assert "--production" in process.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--production", "run", "lifecycle.py"], "the command 'run' must be specified before any options"),
        (["lifecycle.py"], "did you mean: tomodachi run lifecycle.py"),
        (["run", "--loop", "nope", "lifecycle.py"], "invalid --loop value 'nope'"),
        (["run", "--log-level", "loud", "lifecycle.py"], "invalid --log-level value 'loud'"),
        (["run", "--logger", "xml", "lifecycle.py"], "invalid --logger value 'xml'"),
        (
            ["run", "--logger", "custom", "lifecycle.py"],
            "Invalid combination of --custom-logger and --logger",
        ),
        (["run", "--unknown", "lifecycle.py"], "unknown option for 'tomodachi run': --unknown"),
        (["run", "--production"], "no service file has been provided as argument"),
        (["run", "-c", "missing.json", "lifecycle.py"], "Invalid config file"),
    ],
)
def test_cli_misuse_exits_2_with_a_clear_error(processes: Processes, args: list[str], says: str) -> None:
    process = processes.run(*args)

    assert process.process.returncode == 2
    assert says in process.stderr


def test_environment_setting_that_contradicts_the_command_line_exits_2(processes: Processes) -> None:
    process = processes.run("run", "--logger", "json", "lifecycle.py", env={"TOMODACHI_LOGGER": "console"})

    assert process.process.returncode == 2
    assert "differs from TOMODACHI_LOGGER" in process.stderr
