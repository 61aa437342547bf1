"""The tracer, the meter and the instruments that the instrumented parts of a service write to."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry.metrics import CallbackOptions, Counter, Histogram, Meter, MeterProvider, Observation
from opentelemetry.trace import Tracer, TracerProvider

from tomodachi.__about__ import __version__

SCOPE = "tomodachi.opentelemetry"

DURATION_BUCKETS = (0.0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0)
"""The bucket boundaries (seconds) of every duration histogram."""

MESSAGING_SYSTEMS = {"aws_sns_sqs": "aws_sqs", "amqp": "rabbitmq"}


class ActiveCounter:
    """An up-down count of work in progress, reported when the metrics are collected.

    ``add`` only changes a number in this process (no measurement per call); an observable up-down
    counter reports the counts per attribute set at each collection.

    Args:
        meter: The meter of the counter.
        name: The metric's name.
        unit: Its unit.
        description: Its description.
    """

    def __init__(self, meter: Meter, name: str, unit: str, description: str) -> None:
        self._counts: dict[tuple[tuple[str, Any], ...], int] = {}
        meter.create_observable_up_down_counter(
            name, callbacks=[self._observe], unit=unit, description=description
        )

    def add(self, amount: int, attributes: Mapping[str, Any]) -> None:
        """Change the count of the attribute set ``attributes`` by ``amount``."""
        key = tuple(attributes.items())
        self._counts[key] = self._counts.get(key, 0) + amount

    def _observe(self, options: CallbackOptions) -> Iterable[Observation]:
        return [Observation(count, dict(key)) for key, count in tuple(self._counts.items())]


@dataclass
class Instruments:
    """The duration histogram and the active-task counter of one kind of work."""

    duration: Histogram
    active: ActiveCounter


@dataclass
class Telemetry:
    """What the instrumentation of one service (or of every service) writes to.

    Args:
        tracer: Spans are started on it.
        meter: The instruments are made from it.
        excluded_urls: Regular expressions; HTTP requests whose URL matches one get no span.
        tracer_provider: The provider of ``tracer`` (its resource gets the service's name).
    """

    tracer: Tracer
    meter: Meter
    excluded_urls: tuple[re.Pattern[str], ...] = ()
    tracer_provider: Any = None
    http: Instruments = field(init=False)
    sqs: Instruments = field(init=False)
    amqp: Instruments = field(init=False)
    schedule: Instruments = field(init=False)
    retried: Counter = field(init=False)
    dead_lettered: Counter = field(init=False)
    unparseable: Counter = field(init=False)

    def __post_init__(self) -> None:
        meter = self.meter
        self.http = Instruments(
            _histogram(meter, "http.server.duration", "Duration of HTTP server requests."),
            ActiveCounter(meter, "http.server.active_requests", "{request}", "HTTP requests being handled."),
        )
        self.sqs = _messaging(meter, "aws_sqs")
        self.amqp = _messaging(meter, "rabbitmq")
        self.schedule = Instruments(
            _histogram(meter, "function.duration", "Duration of scheduled function runs."),
            ActiveCounter(meter, "function.active_tasks", "{task}", "Scheduled function runs in progress."),
        )
        self.retried = meter.create_counter(
            "messaging.process.retried",
            unit="{message}",
            description="Messages that failed and will be delivered again.",
        )
        self.dead_lettered = meter.create_counter(
            "messaging.process.dead_lettered",
            unit="{message}",
            description="Messages moved to their dead-letter queue.",
        )
        self.unparseable = meter.create_counter(
            "messaging.process.unparseable",
            unit="{message}",
            description="Messages that could not be parsed.",
        )

    def excluded(self, url: str) -> bool:
        """Whether requests for ``url`` get no span."""
        return any(pattern.search(url) for pattern in self.excluded_urls)


def _histogram(meter: Meter, name: str, description: str) -> Histogram:
    return meter.create_histogram(
        name, unit="s", description=description, explicit_bucket_boundaries_advisory=list(DURATION_BUCKETS)
    )


def _messaging(meter: Meter, system: str) -> Instruments:
    return Instruments(
        _histogram(meter, f"messaging.{system}.duration", "Duration of message handling."),
        ActiveCounter(meter, f"messaging.{system}.active_tasks", "{message}", "Messages being handled."),
    )


def parse_excluded_urls(value: str | Iterable[str] | None) -> tuple[re.Pattern[str], ...]:
    """The patterns of a comma-separated list of regular expressions (or of a list of them).

    Args:
        value: ``"regex,regex"``, a list of expressions, or None.

    Returns:
        The compiled patterns; blank entries are left out.

    Raises:
        re.error: an entry is not a valid regular expression.
    """
    if value is None:
        return ()
    entries = value.split(",") if isinstance(value, str) else list(value)
    return tuple(re.compile(entry.strip()) for entry in entries if entry.strip())


def make_telemetry(
    tracer_provider: TracerProvider | None = None,
    meter_provider: MeterProvider | None = None,
    excluded_urls: Any = None,
) -> Telemetry:
    """Build the telemetry of the given providers (the global ones where None).

    Args:
        tracer_provider: Where spans go.
        meter_provider: Where measurements go.
        excluded_urls: As for :func:`parse_excluded_urls`.

    Returns:
        The telemetry.
    """
    tracer_provider = tracer_provider if tracer_provider is not None else trace.get_tracer_provider()
    meter_provider = meter_provider if meter_provider is not None else metrics.get_meter_provider()
    tracer = tracer_provider.get_tracer(SCOPE, __version__)
    meter = meter_provider.get_meter(SCOPE, __version__)
    return Telemetry(tracer, meter, parse_excluded_urls(excluded_urls), tracer_provider)
