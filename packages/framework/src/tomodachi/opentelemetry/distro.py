"""The ``tomodachi`` OpenTelemetry distro and configurator (entry points of the same name).

The distro sets ``OTEL_TRACES_EXPORTER``, ``OTEL_METRICS_EXPORTER`` and ``OTEL_LOGS_EXPORTER`` to
``none`` where they are unset, so that nothing is exported until asked for. The configurator builds
the SDK's tracer, meter and logger providers from the ``OTEL_*`` variables, with a resource from
``OTEL_RESOURCE_ATTRIBUTES`` and ``OTEL_SERVICE_NAME``. A provider named by
``OTEL_PYTHON_TRACER_PROVIDER``, ``OTEL_PYTHON_METER_PROVIDER`` or ``OTEL_PYTHON_LOGGER_PROVIDER``
(for example ``tomodachi_prometheus``) is left to the API to load from its entry point.
"""

from __future__ import annotations

import os
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry._logs import set_logger_provider
from opentelemetry.instrumentation.distro import BaseDistro  # type: ignore[attr-defined]
from opentelemetry.sdk._configuration import (
    _BaseConfigurator,
    _get_exporter_names,
    _import_exporters,
)
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

EXPORTER_VARIABLES = ("OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER")


class TomodachiDistro(BaseDistro):  # type: ignore[misc]
    """Exports nothing unless an ``OTEL_*_EXPORTER`` variable says otherwise."""

    def _configure(self, **kwargs: Any) -> None:
        for name in EXPORTER_VARIABLES:
            os.environ.setdefault(name, "none")


class TomodachiConfigurator(_BaseConfigurator):
    """Builds and sets the global tracer, meter and logger providers from the environment."""

    def _configure(self, **kwargs: Any) -> None:
        configure_providers()


def configure_providers() -> None:
    """Set the global providers as ``OTEL_*`` asks (see the module docstring).

    Raises:
        RuntimeError: an exporter named in the environment is not of the right kind.
        Exception: an exporter could not be loaded or made.
    """
    resource = Resource.create({})
    span_exporters, metric_exporters, log_exporters = _import_exporters(
        _get_exporter_names("traces"), _get_exporter_names("metrics"), _get_exporter_names("logs")
    )
    if not os.environ.get("OTEL_PYTHON_TRACER_PROVIDER"):
        tracer_provider = TracerProvider(resource=resource)
        for span_exporter in span_exporters.values():
            tracer_provider.add_span_processor(BatchSpanProcessor(span_exporter()))
        trace.set_tracer_provider(tracer_provider)
    if not os.environ.get("OTEL_PYTHON_METER_PROVIDER"):
        readers: list[MetricReader] = []
        for metric_exporter in metric_exporters.values():
            if issubclass(metric_exporter, MetricReader):
                readers.append(metric_exporter())
            else:
                readers.append(PeriodicExportingMetricReader(metric_exporter()))
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
    if not os.environ.get("OTEL_PYTHON_LOGGER_PROVIDER"):
        logger_provider = LoggerProvider(resource=resource)
        for log_exporter in log_exporters.values():
            logger_provider.add_log_record_processor(BatchLogRecordProcessor(log_exporter()))
        set_logger_provider(logger_provider)
