"""The log formats of ``tomodachi run --logger ...`` as a user sees them on stderr."""

from __future__ import annotations

import json

from tomodachi_process import Processes


def test_json_logger_writes_one_object_per_line(processes: Processes) -> None:
    process = processes.run("run", "--production", "--logger", "json", "logs.py")

    assert process.process.returncode == 0
    records = [json.loads(line) for line in process.stderr.splitlines() if line.strip()]
    assert all(list(record)[:4] == ["timestamp", "logger", "level", "message"] for record in records)
    placed = next(record for record in records if record["message"] == "order placed")
    assert placed["logger"] == "app.orders"
    assert placed["order_id"] == 42
    failed = next(record for record in records if record["message"] == "order failed")
    assert failed["level"] == "error"
    assert failed["exc_type"] == "ValueError"
    assert failed["exc_message"] == "bad order"
    initialized = next(record for record in records if record["message"] == "enabled handler functions")
    assert (initialized["logger"], initialized["state"]) == ("tomodachi.lifecycle", "initialized")


def test_console_logger_writes_readable_lines(processes: Processes) -> None:
    process = processes.run("run", "--production", "logs.py")

    line = next(line for line in process.stderr.splitlines() if "order placed" in line)
    assert "[info     ] order placed" in line
    assert "[app.orders]" in line
    assert "order_id=42" in line
    assert "ValueError: bad order" in process.stderr


def test_python_logger_uses_the_plain_stdlib_format(processes: Processes) -> None:
    process = processes.run("run", "--production", "--logger", "python", "logs.py")

    line = next(line for line in process.stderr.splitlines() if "order placed" in line)
    assert "[INFO     ]" in line or "[info     ]" in line
    assert line.rstrip().endswith("[app.orders]")


def test_disabled_logger_writes_nothing(processes: Processes) -> None:
    process = processes.run("run", "--production", "--logger", "disabled", "logs.py")

    assert process.process.returncode == 0
    assert process.stderr == ""


def test_log_level_hides_lower_levels(processes: Processes) -> None:
    process = processes.run("run", "--production", "--log-level", "error", "logs.py")

    assert "order placed" not in process.stderr
    assert "order failed" in process.stderr


def test_environment_selects_the_logger(processes: Processes) -> None:
    process = processes.run("run", "--production", "logs.py", env={"TOMODACHI_LOGGER": "json"})

    assert json.loads(process.stderr.splitlines()[0])["logger"] == "tomodachi.service"
