"""Probing the health endpoints of a ``tomodachi run`` subprocess, for the end-to-end tests."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tomodachi_process import TomodachiProcess

Probe = tuple[int | None, Any]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def probe(url: str) -> Probe:
    """The status and JSON body of a GET, or ``(None, None)`` when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        body = error.read()
        error.close()
        return error.code, json.loads(body) if body.startswith(b"{") else body.decode()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None, None


def wait_status(url: str, status: int, process: TomodachiProcess, within: float = 20.0) -> Probe:
    """Probe ``url`` until it answers ``status``; fail with the process's output after ``within`` s."""
    deadline = time.monotonic() + within
    result: Probe = (None, None)
    while time.monotonic() < deadline:
        result = probe(url)
        if result[0] == status:
            return result
        time.sleep(0.05)
    raise AssertionError(
        f"{url} answered {result}, not {status}\n--- stdout ---\n{process.stdout}\n--- stderr ---\n"
        f"{process.stderr}"
    )


def config(tmp_path: Path, options: dict[str, Any]) -> str:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"options": options}))
    return str(path)
