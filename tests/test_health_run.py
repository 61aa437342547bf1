"""``tomodachi run`` with the health endpoints: readiness through start-up, a broker outage and a stop."""

from __future__ import annotations

import signal
import socket
import urllib.request
from pathlib import Path

from health_probe import config, free_port, probe, wait_status
from tomodachi_process import Processes

STARTING = {"status": "not ready", "reasons": ["starting: start hooks or transports are not done"]}
STOPPING = {"status": "not ready", "reasons": ["stopping: a stop was requested"]}


def test_readiness_is_503_until_the_start_hooks_finish_on_the_http_port_of_a_service_without_http_handlers(
    processes: Processes, tmp_path: Path
) -> None:
    port = free_port()
    gate = tmp_path / "start"
    options = {"health": {"enabled": True}, "http": {"port": port, "host": "127.0.0.1"}}
    process = processes.start(
        "run",
        "--production",
        "-c",
        config(tmp_path, options),
        "health_gated.py",
        env={"GATE_START": str(gate)},
    )
    process.wait_for("waiting for GATE_START")
    base = f"http://127.0.0.1:{port}"
    assert wait_status(f"{base}/health/live", 200, process) == (200, {"status": "alive"})
    assert probe(f"{base}/health/ready") == (503, STARTING)
    gate.touch()
    assert wait_status(f"{base}/health/ready", 200, process) == (200, {"status": "ready"})
    assert probe(f"{base}/anything-else") == (404, {"status": "not found"})
    process.send(signal.SIGTERM)
    assert process.wait() == 0
    assert "accepting health probes" in process.stderr


def test_readiness_is_503_from_sigterm_on_while_the_service_stops_and_liveness_stays_200(
    processes: Processes, tmp_path: Path
) -> None:
    port = free_port()
    gate = tmp_path / "stop"
    options = {"health": {"enabled": True, "port": port, "host": "127.0.0.1"}}
    process = processes.start(
        "run",
        "--production",
        "-c",
        config(tmp_path, options),
        "health_gated.py",
        env={"GATE_STOP": str(gate)},
    )
    base = f"http://127.0.0.1:{port}"
    wait_status(f"{base}/health/ready", 200, process)
    process.send(signal.SIGTERM)
    process.wait_for("waiting for GATE_STOP")
    assert probe(f"{base}/health/ready") == (503, STOPPING)
    assert probe(f"{base}/health/live") == (200, {"status": "alive"})
    gate.touch()
    assert process.wait() == 0
    assert probe(f"{base}/health/live") == (None, None)


def test_a_service_with_http_handlers_serves_the_endpoints_on_its_own_server_at_the_paths_given(
    processes: Processes, tmp_path: Path
) -> None:
    port = free_port()
    gate = tmp_path / "started"
    options = {
        "health": {"enabled": True, "liveness_path": "/livez", "readiness_path": "/readyz"},
        "http": {"port": port, "host": "127.0.0.1"},
    }
    process = processes.start(
        "run",
        "--production",
        "-c",
        config(tmp_path, options),
        "health_http.py",
        env={"GATE_STARTED": str(gate)},
    )
    process.wait_for("waiting for GATE_STARTED")
    base = f"http://127.0.0.1:{port}"
    assert probe(f"{base}/readyz") == (503, STARTING)
    assert probe(f"{base}/livez") == (200, {"status": "alive"})
    assert probe(f"{base}/health/ready")[0] == 404
    gate.touch()
    assert wait_status(f"{base}/readyz", 200, process) == (200, {"status": "ready"})
    with urllib.request.urlopen(f"{base}/hello", timeout=2) as response:
        assert response.read() == b"hello"
    process.send(signal.SIGTERM)
    assert process.wait() == 0
    assert "accepting health probes" not in process.stderr
    assert "request_path=/hello" in process.stderr
    assert "request_path=/readyz" not in process.stderr  # probes stay out of the access log


def test_a_service_with_http_handlers_serves_the_endpoints_on_a_port_of_their_own_when_one_is_given(
    processes: Processes, tmp_path: Path
) -> None:
    port, health_port = free_port(), free_port()
    options = {
        "health": {"enabled": True, "port": health_port, "host": "127.0.0.1"},
        "http": {"port": port, "host": "127.0.0.1"},
    }
    process = processes.start("run", "--production", "-c", config(tmp_path, options), "health_http.py")
    assert wait_status(f"http://127.0.0.1:{health_port}/health/ready", 200, process)[1] == {"status": "ready"}
    assert probe(f"http://127.0.0.1:{port}/health/ready")[0] == 404
    process.send(signal.SIGTERM)
    assert process.wait() == 0


def test_the_endpoints_are_off_unless_enabled(processes: Processes, tmp_path: Path) -> None:
    port = free_port()
    options = {"http": {"port": port, "host": "127.0.0.1"}}
    process = processes.start("run", "--production", "-c", config(tmp_path, options), "health_http.py")
    process.wait_for("started service successfully")
    assert probe(f"http://127.0.0.1:{port}/health/ready")[0] == 404
    assert probe(f"http://127.0.0.1:{port}/health/live")[0] == 404
    process.send(signal.SIGTERM)
    assert process.wait() == 0


def test_a_health_port_in_use_stops_the_service_with_exit_code_1(
    processes: Processes, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        options = {"health": {"enabled": True, "port": port, "host": "127.0.0.1"}}
        process = processes.run(
            "run",
            "--production",
            "-c",
            config(tmp_path, options),
            "health_gated.py",
            env={"GATE_START": str(tmp_path / "never")},
        )
    assert process.process.returncode == 1
    assert "unable to bind the health server" in process.stderr
    assert "waiting for GATE_START" not in process.stdout  # no start hook ran
