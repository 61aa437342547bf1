"""``tomodachi run -c config.json``: config files merge into the services."""

from __future__ import annotations

import json
from pathlib import Path

from tomodachi_process import Processes


def printed_options(stdout: str) -> dict[str, object]:
    line = next(line for line in stdout.splitlines() if line.startswith("options: "))
    loaded: dict[str, object] = json.loads(line.removeprefix("options: "))
    return loaded


def test_config_files_merge_into_the_service_options_key_by_key(processes: Processes, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    first.write_text(json.dumps({"options": {"amqp": {"host": "rabbit.internal"}}, "tags": ["from-config"]}))
    second = tmp_path / "second.json"
    second.write_text(json.dumps({"options": {"http.port": 8080}, "extra": {"a": 1}}))

    process = processes.run("run", "--production", "-c", str(first), str(second), "options_printer.py")

    assert process.process.returncode == 0, process.stderr
    assert printed_options(process.stdout) == {
        "http.port": 8080,  # from the second file
        "http.server_header": "custom",  # kept from the service class: merged, not replaced
        "amqp.host": "rabbit.internal",  # from the first file
        "tags": ["from-class", "from-config"],  # lists are joined
        "extra": {"a": 1},
    }


def test_service_options_are_used_without_config(processes: Processes) -> None:
    process = processes.run("run", "--production", "options_printer.py")

    assert printed_options(process.stdout)["http.port"] == 31337


def test_config_file_with_invalid_json_exits_2(processes: Processes, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")

    process = processes.run("run", "--production", "-c", str(broken), "options_printer.py")

    assert process.process.returncode == 2
    assert "Invalid config file, invalid JSON format" in process.stderr


def test_config_with_an_unknown_option_key_stops_the_service_with_exit_1(
    processes: Processes, tmp_path: Path
) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"options": {"http": {"prot": 1}}}))

    process = processes.run("run", "--production", "-c", str(config), "options_printer.py")

    assert process.process.returncode == 1
    assert "prot" in process.stderr
