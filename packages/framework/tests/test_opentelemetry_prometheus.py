"""The ``tomodachi_prometheus`` meter provider when its address cannot be bound."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

MAKE_PROVIDER = """
from tomodachi.opentelemetry.prometheus import TomodachiPrometheusMeterProvider
try:
    TomodachiPrometheusMeterProvider()
except OSError:
    print("refused")
"""


def test_a_port_in_use_fails_the_meter_provider_and_leaves_nothing_to_fail_at_exit() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        environment = {
            **os.environ,
            "OTEL_PYTHON_TOMODACHI_PROMETHEUS_ADDRESS": "127.0.0.1",
            "OTEL_PYTHON_TOMODACHI_PROMETHEUS_PORT": str(taken.getsockname()[1]),
        }
        result = subprocess.run(
            [sys.executable, "-c", MAKE_PROVIDER], capture_output=True, text=True, env=environment, timeout=60
        )
    assert (result.returncode, result.stdout.strip()) == (0, "refused")
    assert "Traceback" not in result.stderr, result.stderr
