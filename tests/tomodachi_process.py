"""Running ``tomodachi`` in a subprocess as a user runs it, with its output read as it comes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

SERVICES = Path(__file__).parent / "services"


class TomodachiProcess:
    """``python -m tomodachi <args>`` in ``cwd``; stdout and stderr are collected by reader threads."""

    def __init__(self, args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
        for name in list(environment):
            if name.startswith("TOMODACHI_"):
                del environment[name]
        environment.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tomodachi", *args],
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        self._lock = threading.Lock()
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self._stdout), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self._stderr), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: object, into: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            with self._lock:
                into.append(line)

    @property
    def stdout(self) -> str:
        with self._lock:
            return "".join(self._stdout)

    @property
    def stderr(self) -> str:
        with self._lock:
            return "".join(self._stderr)

    def wait_for(self, text: str, *, timeout: float = 20.0, count: int = 1) -> None:
        """Waits until ``text`` has appeared ``count`` times in stdout or stderr."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (self.stdout + self.stderr).count(text) >= count:
                return
            if self.process.poll() is not None:
                time.sleep(0.2)
                if (self.stdout + self.stderr).count(text) >= count:
                    return
                break
            time.sleep(0.05)
        raise AssertionError(
            f"{text!r} did not appear {count} time(s)\n"
            f"--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"
        )

    def send(self, signum: signal.Signals) -> None:
        self.process.send_signal(signum)

    def wait(self, timeout: float = 30.0) -> int:
        code = self.process.wait(timeout=timeout)
        self._finish()
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._finish()

    def _finish(self) -> None:
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


class Processes:
    """Starts ``tomodachi`` processes for a test; the fixture kills any left running at teardown."""

    def __init__(self) -> None:
        self.started: list[TomodachiProcess] = []

    def start(self, *args: str, cwd: Path = SERVICES, env: dict[str, str] | None = None) -> TomodachiProcess:
        process = TomodachiProcess(list(args), cwd=cwd, env=env)
        self.started.append(process)
        return process

    def run(
        self, *args: str, cwd: Path = SERVICES, env: dict[str, str] | None = None, timeout: float = 30.0
    ) -> TomodachiProcess:
        """Runs ``tomodachi <args>`` to its end."""
        process = self.start(*args, cwd=cwd, env=env)
        process.wait(timeout)
        return process
