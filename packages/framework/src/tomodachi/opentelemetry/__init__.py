"""OpenTelemetry for tomodachi services: the extra ``tomodachi[opentelemetry]``.

Turn it on with ``tomodachi run --opentelemetry-instrument`` (or ``TOMODACHI_OPENTELEMETRY_INSTRUMENT=1``),
with ``opentelemetry-instrument tomodachi run``, or in code::

    from tomodachi.opentelemetry import TomodachiInstrumentor

    TomodachiInstrumentor().instrument(tracer_provider=..., meter_provider=..., logger_provider=...)

Importing this module without the extra raises ``ImportError`` naming the line that installs it.
``import tomodachi`` never imports OpenTelemetry.
"""

from ._requirements import require_opentelemetry

require_opentelemetry()

from ._logs import add_trace_ids as add_trace_ids  # noqa: E402
from ._telemetry import DURATION_BUCKETS as DURATION_BUCKETS  # noqa: E402
from .distro import TomodachiConfigurator as TomodachiConfigurator  # noqa: E402
from .distro import TomodachiDistro as TomodachiDistro  # noqa: E402
from .instrumentation import TomodachiInstrumentor as TomodachiInstrumentor  # noqa: E402

__all__ = [
    "DURATION_BUCKETS",
    "TomodachiConfigurator",
    "TomodachiDistro",
    "TomodachiInstrumentor",
    "add_trace_ids",
]
