"""The ``tomodachi`` OpenTelemetry distro and configurator (entry points of the same name).

The distro sets ``OTEL_TRACES_EXPORTER``, ``OTEL_METRICS_EXPORTER`` and ``OTEL_LOGS_EXPORTER`` to
``none`` where they are unset, so that nothing is exported until asked for. The configurator builds
the SDK's tracer, meter and logger providers from the ``OTEL_*`` variables, with a resource from
``OTEL_RESOURCE_ATTRIBUTES`` and ``OTEL_SERVICE_NAME``. A provider named by
``OTEL_PYTHON_TRACER_PROVIDER``, ``OTEL_PYTHON_METER_PROVIDER`` or ``OTEL_PYTHON_LOGGER_PROVIDER``
(for example ``tomodachi_prometheus``) is left to the API to load from its entry point.

``OTEL_PYTHON_METRIC_READER`` (else ``OTEL_METRIC_READER``) names metric readers, comma-separated, from
the ``opentelemetry_metric_reader`` entry points (``tomodachi_prometheus`` is one); each is made without
arguments and added to the meter provider that the configurator builds, before the readers of
``OTEL_METRICS_EXPORTER``. Unset, empty or ``none`` adds none.
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
from opentelemetry.util._importlib_metadata import entry_points

EXPORTER_VARIABLES = ("OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER")
METRIC_READER_VARIABLES = ("OTEL_PYTHON_METRIC_READER", "OTEL_METRIC_READER")
METRIC_READER_GROUP = "opentelemetry_metric_reader"


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
        readers = metric_readers_from_environment()
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


def metric_reader_names() -> list[str]:
    """The metric readers that ``OTEL_PYTHON_METRIC_READER`` (else ``OTEL_METRIC_READER``) names.

    Returns:
        The names in order, blanks left out; none when the variable is unset, empty or ``none``.
    """
    value = next((os.environ[name] for name in METRIC_READER_VARIABLES if name in os.environ), "")
    if value.strip().lower() == "none":
        return []
    return [name.strip() for name in value.split(",") if name.strip()]


def metric_readers_from_environment() -> list[MetricReader]:
    """Make the metric readers named in the environment (see :func:`metric_reader_names`).

    Each name is looked up among the ``opentelemetry_metric_reader`` entry points, and the class or
    function found there is called without arguments.

    Returns:
        The readers, in the order named.

    Raises:
        RuntimeError: no entry point has a name, or what it makes is not a ``MetricReader``.
        Exception: a reader could not be imported or made.
    """
    readers: list[MetricReader] = []
    for name in metric_reader_names():
        found = list(entry_points(group=METRIC_READER_GROUP, name=name))
        if not found:
            raise RuntimeError(
                f"metric reader {name!r} (from {'/'.join(METRIC_READER_VARIABLES)}) is not installed: "
                f"no {METRIC_READER_GROUP!r} entry point has that name"
            )
        reader = found[0].load()()
        if not isinstance(reader, MetricReader):
            raise RuntimeError(f"metric reader {name!r} made {reader!r}, which is not a MetricReader")
        readers.append(reader)
    return readers
