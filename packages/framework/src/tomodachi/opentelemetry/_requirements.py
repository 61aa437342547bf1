"""The extra that ``tomodachi.opentelemetry`` needs, checked before anything else is imported."""

from __future__ import annotations

INSTALL_HINT = "pip install 'tomodachi[opentelemetry]'"


def require_opentelemetry() -> None:
    """Check that the OpenTelemetry API, SDK and instrumentation packages can be imported.

    Raises:
        ImportError: one of them is missing; the message names the install line of the extra.
    """
    try:
        import opentelemetry.instrumentation.instrumentor
        import opentelemetry.sdk.trace
        import opentelemetry.trace  # noqa: F401
    except ImportError as exc:
        raise ImportError(
            f"tomodachi's OpenTelemetry support needs the 'opentelemetry' extra: {INSTALL_HINT}"
        ) from exc
