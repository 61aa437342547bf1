"""The ``health`` section of a service's options: its liveness and readiness endpoints."""

from __future__ import annotations

from typing import Any

from tomodachi_middleware import OptionsSection


class HealthOptions(OptionsSection, prefix="health"):
    """Settings of the liveness and readiness endpoints, the ``health.*`` keys. Off unless enabled.

    Where they are served:

    - on the service's own HTTP server when it has HTTP handlers and ``port`` is ``None`` (or equals
      ``http.port``);
    - otherwise on a small HTTP server of their own, on ``host`` and ``port``, which fall back to
      ``http.host`` and ``http.port``. It listens from before ``_start_service`` until every
      transport has closed, so probes see the whole start-up and the whole graceful stop.

    Args:
        enabled: Serve the endpoints.
        port: Port of a server of their own; ``None`` for the service's HTTP server, or ``http.port``
            for a service without HTTP handlers.
        host: Interface of a server of their own; ``None`` for ``http.host``.
        liveness_path: Path of the liveness endpoint: 200 while the process's event loop runs.
        readiness_path: Path of the readiness endpoint: 200 when the service is started and every
            transport is connected and consuming, 503 otherwise.
        **options: Dotted keys.

    Raises:
        AttributeError: An unknown key was given.
    """

    __slots__ = ("enabled", "host", "liveness_path", "port", "readiness_path")

    enabled: bool
    port: int | None
    host: str | None
    liveness_path: str
    readiness_path: str

    def __init__(
        self,
        *,
        enabled: bool = False,
        port: int | None = None,
        host: str | None = None,
        liveness_path: str = "/health/live",
        readiness_path: str = "/health/ready",
        **options: Any,
    ) -> None:
        self.enabled = enabled
        self.port = port
        self.host = host
        self.liveness_path = liveness_path
        self.readiness_path = readiness_path
        if options:
            self.update(options)
