"""Development mode: ``tomodachi run`` restarts the services when their code changes."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tomodachi_process import Processes

SERVICE = """
import tomodachi


class Reloading(tomodachi.Service):
    name = "reloading"

    async def _started_service(self) -> None:
        print("version: {version}", flush=True)
"""


def write_service(folder: Path, version: str) -> Path:
    path = folder / "reloading.py"
    path.write_text(SERVICE.replace("{version}", version))
    return path


def test_changed_code_restarts_the_service_with_the_new_code(processes: Processes, tmp_path: Path) -> None:
    write_service(tmp_path, "one")
    process = processes.start("run", "reloading.py", cwd=tmp_path)
    process.wait_for("started service successfully")
    assert "version: one" in process.stdout

    write_service(tmp_path, "two")
    process.wait_for("started service successfully", count=2)
    process.send(signal.SIGTERM)

    assert process.wait() == 0
    assert "version: two" in process.stdout
    assert "restarting services" in process.stderr
    assert "updated files" in process.stderr


def test_syntax_error_keeps_the_running_service_until_it_is_fixed(
    processes: Processes, tmp_path: Path
) -> None:
    write_service(tmp_path, "one")
    process = processes.start("run", "reloading.py", cwd=tmp_path)
    process.wait_for("started service successfully")

    (tmp_path / "reloading.py").write_text(SERVICE.replace("{version}", "broken").replace("class ", "clas "))
    process.wait_for("restart failed due to error")
    assert process.process.poll() is None
    assert "syntax error in file" in process.stderr

    write_service(tmp_path, "fixed")
    process.wait_for("started service successfully", count=2)
    process.send(signal.SIGTERM)
    assert process.wait() == 0
    assert "version: fixed" in process.stdout


def test_production_mode_does_not_restart_on_changes(processes: Processes, tmp_path: Path) -> None:
    write_service(tmp_path, "one")
    process = processes.start("run", "--production", "reloading.py", cwd=tmp_path)
    process.wait_for("started service successfully")

    write_service(tmp_path, "two")
    time.sleep(2.0)
    process.send(signal.SIGTERM)

    assert process.wait() == 0
    assert "version: two" not in process.stdout
    assert process.stderr.count("started service successfully") == 1


def test_development_mode_prints_the_banner_and_production_does_not(
    processes: Processes, tmp_path: Path
) -> None:
    write_service(tmp_path, "one")
    development = processes.start("run", "reloading.py", cwd=tmp_path)
    development.wait_for("started service successfully")
    development.send(signal.SIGTERM)
    development.wait()
    production = processes.start("run", "--production", "reloading.py", cwd=tmp_path)
    production.wait_for("started service successfully")
    production.send(signal.SIGTERM)
    production.wait()

    assert "file watcher enabled" in development.stdout
    assert "reloading.py" in development.stdout
    assert "file watcher" not in production.stdout
