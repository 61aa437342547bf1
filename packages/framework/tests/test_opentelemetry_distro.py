"""The configurator's metric readers: ``OTEL_PYTHON_METRIC_READER`` and ``OTEL_METRIC_READER``."""

from __future__ import annotations

import prometheus_client
import pytest
from opentelemetry.sdk.metrics import MeterProvider

from tomodachi.opentelemetry.distro import metric_reader_names, metric_readers_from_environment

VARIABLES = (
    "OTEL_PYTHON_METRIC_READER",
    "OTEL_METRIC_READER",
    "OTEL_PYTHON_TOMODACHI_PROMETHEUS_NAMESPACE_PREFIX",
)


@pytest.fixture(autouse=True)
def no_reader_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_no_metric_reader_is_named_when_the_variables_are_unset() -> None:
    assert metric_reader_names() == []
    assert metric_readers_from_environment() == []


@pytest.mark.parametrize("value", ["", "none", " None "])
def test_an_empty_or_none_metric_reader_variable_names_no_reader(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("OTEL_PYTHON_METRIC_READER", value)
    monkeypatch.setenv("OTEL_METRIC_READER", "ignored")
    assert metric_reader_names() == []


def test_metric_readers_are_named_comma_separated_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_PYTHON_METRIC_READER", " second , first,, ")
    assert metric_reader_names() == ["second", "first"]


def test_otel_metric_reader_is_read_when_the_python_variable_is_unset(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_METRIC_READER", "tomodachi_prometheus")
    assert metric_reader_names() == ["tomodachi_prometheus"]
    monkeypatch.setenv("OTEL_PYTHON_METRIC_READER", "other")
    assert metric_reader_names() == ["other"]


def test_an_unknown_metric_reader_fails_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTEL_PYTHON_METRIC_READER", "no-such-reader")
    with pytest.raises(RuntimeError, match=r"'no-such-reader'.*not installed"):
        metric_readers_from_environment()


def test_the_tomodachi_prometheus_reader_puts_metrics_in_the_default_prometheus_registry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTEL_PYTHON_METRIC_READER", "tomodachi_prometheus")
    monkeypatch.setenv("OTEL_PYTHON_TOMODACHI_PROMETHEUS_NAMESPACE_PREFIX", "shop")
    [reader] = metric_readers_from_environment()
    provider = MeterProvider(metric_readers=[reader])
    try:
        provider.get_meter("test").create_counter("orders.placed").add(3)
        text = prometheus_client.generate_latest().decode()
        assert "shop_orders_placed_total" in text
    finally:
        provider.shutdown()
    assert "shop_orders_placed_total" not in prometheus_client.generate_latest().decode()
