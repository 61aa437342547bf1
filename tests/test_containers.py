"""deploy/: the Dockerfile's command runs here outside Docker, and compose.yaml holds what the docs promise.

No Docker engine runs here, so the image is not built; what can be checked without one is: the
command line of the image, run as it is from the repository root (the image copies the files it names
to the same relative paths), answers on the readiness endpoint that the image's HEALTHCHECK probes, and
that HEALTHCHECK command itself passes.
"""

from __future__ import annotations

import json
import shlex
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import yaml
from health_probe import wait_status
from tomodachi_process import Processes

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
PORT = 9700


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """The ``(INSTRUCTION, arguments)`` of a Dockerfile, continuation lines joined, comments left out."""
    joined: list[str] = []
    pending = ""
    for line in dockerfile.read_text().splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        joined.append(pending + stripped)
        pending = ""
    result = []
    for text in joined:
        keyword, _, arguments = text.partition(" ")
        result.append((keyword.upper(), arguments.strip()))
    return result


def exec_form(arguments: str) -> list[str]:
    """The JSON array of an exec-form instruction (``CMD ["a", "b"]``)."""
    parsed = json.loads(arguments)
    assert isinstance(parsed, list)
    assert all(isinstance(item, str) for item in parsed)
    return parsed


def dockerfile() -> list[tuple[str, str]]:
    return instructions(DEPLOY / "Dockerfile")


def only(keyword: str) -> str:
    found = [arguments for name, arguments in dockerfile() if name == keyword]
    assert len(found) == 1, f"{keyword}: {found}"
    return found[0]


def healthcheck_command() -> list[str]:
    arguments = only("HEALTHCHECK")
    return exec_form(arguments[arguments.index("CMD ") + 4 :])


def test_the_image_is_built_from_wheels_on_python_311_slim_and_runs_as_a_user_that_is_not_root() -> None:
    stages = [arguments for name, arguments in dockerfile() if name == "FROM"]
    assert stages == ["python:3.11-slim AS wheels", "python:3.11-slim"]
    [build] = [a for n, a in dockerfile() if n == "RUN" and "pip wheel" in a]
    every_package = {f"packages/{folder.name}" for folder in (REPO / "packages").iterdir() if folder.is_dir()}
    assert every_package <= set(build.split())
    assert any(name == "COPY" and a.startswith("--from=wheels /wheels") for name, a in dockerfile())
    assert only("USER") not in ("root", "0")
    assert "useradd" in " ".join(a for n, a in dockerfile() if n == "RUN")
    assert not [a for n, a in dockerfile() if n == "ENTRYPOINT"]
    assert only("EXPOSE") == str(PORT)


def test_the_images_command_runs_here_and_answers_ready_where_its_healthcheck_probes(
    processes: Processes,
) -> None:
    command = exec_form(only("CMD"))
    assert command[:3] == ["tomodachi", "run", "--production"]
    copied = {a.split()[-1] for n, a in dockerfile() if n == "COPY" and not a.startswith("--from")}
    named_files = [argument for argument in command[3:] if not argument.startswith("-")]
    assert named_files
    assert all(name in copied and (REPO / name).is_file() for name in named_files)
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", PORT)) != 0, (
            f"port {PORT} is in use; the image's command needs it"
        )
    process = processes.start(*command[1:], cwd=REPO)  # ``python -m tomodachi``, this venv's
    probe = healthcheck_command()
    assert probe[0] == "python"
    assert f"http://127.0.0.1:{PORT}/health/ready" in probe[-1]
    assert wait_status(f"http://127.0.0.1:{PORT}/health/ready", 200, process) == (200, {"status": "ready"})
    healthcheck = subprocess.run([sys.executable, *probe[1:]], capture_output=True, timeout=30)
    assert healthcheck.returncode == 0, healthcheck.stderr
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/resource/1234", timeout=5) as response:
        assert response.read() == b"id = 1234"
    process.send(signal.SIGTERM)
    assert process.wait() == 0
    failed = subprocess.run([sys.executable, *probe[1:]], capture_output=True, timeout=30)
    assert failed.returncode != 0  # nothing answers once it stopped: unhealthy


def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_compose_runs_the_service_with_rabbitmq_and_moto_on_the_documented_ports() -> None:
    services = compose()["services"]
    assert set(services) == {"http-service", "rabbitmq", "moto"}
    service = services["http-service"]
    assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).resolve() == (
        DEPLOY / "Dockerfile"
    )
    assert service["ports"] == ["9700:9700"]
    assert service["environment"]["AWS_DEFAULT_REGION"] == "us-east-1"
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= set(service["environment"])
    assert service["depends_on"]["rabbitmq"] == {"condition": "service_healthy"}
    assert services["rabbitmq"]["image"].startswith("rabbitmq:")
    assert services["rabbitmq"]["ports"] == ["5672:5672", "15672:15672"]
    assert services["moto"]["image"].startswith("motoserver/moto:")
    assert services["moto"]["ports"] == ["5000:5000"]


def test_composes_command_is_the_images_with_the_config_that_points_at_the_two_brokers() -> None:
    command = compose()["services"]["http-service"]["command"]
    image_command = exec_form(only("CMD"))
    assert command == [*image_command[:-1], "-c", "deploy/compose.json", image_command[-1]]
    options = json.loads((REPO / "deploy/compose.json").read_text())["options"]
    assert options["amqp"]["host"] == "rabbitmq"
    assert options["aws_endpoint_urls"] == {"sns": "http://moto:5000", "sqs": "http://moto:5000"}
    assert shlex.join(command)  # a plain list of strings


def test_the_config_files_of_the_image_are_valid_service_options() -> None:
    import tomodachi

    options = tomodachi.Options()
    for name in ("http_service.json", "compose.json"):
        options = options.merged(json.loads((DEPLOY / name).read_text())["options"])
    assert options.health.enabled is True
    assert (options.health.liveness_path, options.health.readiness_path) == ("/health/live", "/health/ready")
    assert options.amqp.host == "rabbitmq"
