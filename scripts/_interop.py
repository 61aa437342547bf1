"""What the interop checks share: a tomodachi 0.29 interpreter in a venv of its own, and a service process
whose output is collected."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from tomodachi_transport_awssnssqs.testing import DUMMY_CREDENTIALS


async def delete_amqp_queues(prefix: str) -> list[str]:
    """Delete the queues of the local RabbitMQ whose names start with ``prefix``; return their names.

    Args:
        prefix: The start of the names, unique to one run of a check.
    """
    import json

    from tomodachi_transport_amqp._client import Settings, connect
    from tomodachi_transport_amqp.testing import rabbitmqctl

    listed = json.loads(await rabbitmqctl("list_queues", "-q", "--formatter", "json", "name"))
    names = [queue["name"] for queue in listed if queue["name"].startswith(prefix)]
    connection = await connect(Settings())
    try:
        channel = await connection.channel()
        for name in names:
            await channel.delete_queue(name)
    finally:
        await connection.close()
    return names


def python_029(venvs: Sequence[Path], requirements: Sequence[str], check: str) -> Path:
    """The interpreter of the first of ``venvs`` where ``check`` runs, else of the last one, made anew.

    Args:
        venvs: Venvs to try, in order; the last is (re)created with ``requirements`` when none passes.
        requirements: What ``pip install`` puts in a new venv (``tomodachi==0.29.0`` among them).
        check: Python code that fails unless the venv holds what is needed.
    """
    for venv in venvs:
        python = venv / "bin" / "python"
        if python.exists():
            checked = subprocess.run([str(python), "-c", check], capture_output=True, check=False)
            if checked.returncode == 0:
                return python
    subprocess.run([sys.executable, "-m", "venv", str(venvs[-1])], check=True)
    python = venvs[-1] / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", *requirements], check=True)
    return python


class Peer:
    """A ``tomodachi run`` process of one side; its output lines are collected as they come.

    Args:
        name: How messages name it.
        command: The command line.
        cwd: Where it runs.
        env: Added to the environment (dummy AWS credentials are added too).
    """

    def __init__(self, name: str, command: Sequence[str], cwd: Path, env: dict[str, str]) -> None:
        self.name = name
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env={**os.environ, **DUMMY_CREDENTIALS, "PYTHONUNBUFFERED": "1", **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, text: str, deadline: float) -> None:
        """Return once a line holds ``text``; exit the check with the output if none does by ``deadline``."""
        while time.monotonic() < deadline:
            if any(text in line for line in self.lines):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        output = "\n".join(self.lines)
        raise SystemExit(f"interop: {self.name} never printed {text!r}\n--- {self.name} output ---\n{output}")

    def stop(self) -> None:
        """Stop it with SIGTERM (killed after 30 s) and wait for its output to end."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(10)
