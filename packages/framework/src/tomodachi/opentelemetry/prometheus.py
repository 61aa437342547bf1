"""``OTEL_PYTHON_METER_PROVIDER=tomodachi_prometheus``: a meter provider that serves Prometheus metrics.

``OTEL_PYTHON_METRIC_READER=tomodachi_prometheus`` instead adds a reader to the meter provider of the
configurator, which serves nothing itself: its metrics are in ``prometheus_client``'s default registry,
for an endpoint of the service's own (``prometheus_client.generate_latest()``).

Needs the extra ``tomodachi[opentelemetry-exporter-prometheus]``. Read from the environment (the address
and port by the meter provider only):

- ``OTEL_PYTHON_TOMODACHI_PROMETHEUS_ADDRESS``: the address to listen on (``localhost``);
- ``OTEL_PYTHON_TOMODACHI_PROMETHEUS_PORT``: the port (``9464``);
- ``OTEL_PYTHON_TOMODACHI_PROMETHEUS_NAMESPACE_PREFIX``: put with an ``_`` before every metric name ("");
- ``OTEL_PYTHON_TOMODACHI_PROMETHEUS_INCLUDE_SCOPE_INFO``: the ``otel_scope_*`` labels (true);
- ``OTEL_PYTHON_TOMODACHI_PROMETHEUS_INCLUDE_TARGET_INFO``: the ``target_info`` metric (true);
- ``OTEL_PYTHON_TOMODACHI_PROMETHEUS_EXEMPLARS_ENABLED``: keep exemplars of sampled traces (false).
"""

from __future__ import annotations

import os
from typing import Any

from opentelemetry.sdk.metrics import AlwaysOffExemplarFilter, MeterProvider, TraceBasedExemplarFilter
from opentelemetry.sdk.metrics.export import MetricReader
from opentelemetry.sdk.resources import Resource

from ._requirements import INSTALL_HINT

PREFIX = "OTEL_PYTHON_TOMODACHI_PROMETHEUS_"
PROMETHEUS_HINT = "pip install 'tomodachi[opentelemetry-exporter-prometheus]'"
_TRUE = ("1", "true", "yes", "on")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(PREFIX + name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in _TRUE


def _prometheus_reader(registry: Any = None) -> Any:
    """A ``PrometheusMetricReader`` configured from the environment, on ``registry`` (else the default)."""
    try:
        from opentelemetry.exporter.prometheus import PrometheusMetricReader
    except ImportError as exc:
        raise ImportError(
            f"the Prometheus exporter is not installed: {PROMETHEUS_HINT} (or {INSTALL_HINT})"
        ) from exc
    options: dict[str, Any] = {} if registry is None else {"registry": registry}
    return PrometheusMetricReader(
        disable_target_info=not _flag("INCLUDE_TARGET_INFO", True),
        prefix=os.environ.get(PREFIX + "NAMESPACE_PREFIX") or "",
        scope_info_enabled=_flag("INCLUDE_SCOPE_INFO", True),
        **options,
    )


def TomodachiPrometheusMetricReader() -> MetricReader:  # named as the class of 0.29 that it stands for
    """The ``tomodachi_prometheus`` metric reader: Prometheus metrics in ``prometheus_client``'s registry.

    Returns:
        A reader registered on ``prometheus_client.REGISTRY`` (``shutdown()`` takes it off again), with
        the namespace prefix and the scope and target info of the environment; it starts no endpoint.

    Raises:
        ImportError: the Prometheus exporter is not installed.
    """
    reader: MetricReader = _prometheus_reader()
    return reader


class TomodachiPrometheusMeterProvider(MeterProvider):
    """A meter provider whose metrics a Prometheus server scrapes over HTTP.

    The endpoint starts with the provider and stops with ``shutdown()``.

    Args:
        **kwargs: Passed on to the SDK's ``MeterProvider`` (``resource``, ``views``, ...).

    Raises:
        ImportError: the Prometheus exporter is not installed.
        ValueError: the port is not a number.
        OSError: the address and port cannot be bound.
    """

    def __init__(self, **kwargs: Any) -> None:
        try:
            from prometheus_client import CollectorRegistry, start_http_server
        except ImportError as exc:
            raise ImportError(
                f"the Prometheus exporter is not installed: {PROMETHEUS_HINT} (or {INSTALL_HINT})"
            ) from exc
        address = os.environ.get(PREFIX + "ADDRESS") or "localhost"
        port = int(os.environ.get(PREFIX + "PORT") or "9464")
        self.registry = CollectorRegistry()
        reader = _prometheus_reader(self.registry)
        exemplars = _flag("EXEMPLARS_ENABLED", False)
        kwargs.setdefault("resource", Resource.create({}))
        kwargs.setdefault(
            "exemplar_filter", TraceBasedExemplarFilter() if exemplars else AlwaysOffExemplarFilter()
        )
        self._server: Any = None
        super().__init__(metric_readers=[reader, *kwargs.pop("metric_readers", ())], **kwargs)
        try:
            started = start_http_server(port, addr=address, registry=self.registry)
        except BaseException:
            # the SDK registered this provider's shutdown to run at exit; it is done with now
            super().shutdown()
            raise
        self._server = started[0] if isinstance(started, tuple) else None
        self.address = address
        self.port = int(self._server.server_port) if self._server is not None else port

    def shutdown(self, timeout_millis: float = 30_000) -> None:
        """Stop the HTTP endpoint, then the provider.

        Args:
            timeout_millis: As for the SDK's ``MeterProvider.shutdown``.
        """
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        super().shutdown(timeout_millis=timeout_millis)
