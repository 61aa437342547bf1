"""What ``tomodachi run --opentelemetry-instrument`` (or ``TOMODACHI_OPENTELEMETRY_INSTRUMENT=1``) runs."""

from __future__ import annotations

import logging
import os
from typing import Any

from .instrumentation import POST_INIT_HOOK, TomodachiInstrumentor, _service_classes

logger = logging.getLogger("tomodachi.opentelemetry")


def initialize() -> None:
    """Configure OpenTelemetry from the environment and instrument tomodachi.

    ``OTEL_PYTHON_DISTRO`` and ``OTEL_PYTHON_CONFIGURATOR`` default to ``tomodachi``; the distro and
    configurator they name are loaded, then every installed instrumentor, and ``TomodachiInstrumentor``
    is applied unless ``OTEL_PYTHON_DISABLED_INSTRUMENTATIONS`` lists ``tomodachi``. When this fails,
    the error is logged and every service fails at start-up with it.
    """
    from opentelemetry.instrumentation.auto_instrumentation import _load

    os.environ.setdefault("OTEL_PYTHON_DISTRO", "tomodachi")
    os.environ.setdefault("OTEL_PYTHON_CONFIGURATOR", "tomodachi")
    try:
        distro = _load._load_distro()
        distro.configure()
        _load._load_configurators()  # type: ignore[no-untyped-call]
        _load._load_instrumentors(distro)  # type: ignore[no-untyped-call]
        disabled = [
            name.strip() for name in os.environ.get("OTEL_PYTHON_DISABLED_INSTRUMENTATIONS", "").split(",")
        ]
        instrumentor = TomodachiInstrumentor()
        if (
            "tomodachi" not in disabled
            and "*" not in disabled
            and not instrumentor.is_instrumented_by_opentelemetry
        ):
            instrumentor.instrument()
    except Exception as exc:
        logger.exception("failed to configure OpenTelemetry", extra={"error": str(exc)})
        _fail_services(exc)


def _fail_services(error: Exception) -> None:
    def failing_hook(service: Any) -> None:
        raise RuntimeError(f"OpenTelemetry could not be configured: {error}") from error

    for cls in _service_classes():
        setattr(cls, POST_INIT_HOOK, failing_hook)
