"""``TomodachiInstrumentor``: spans, metrics and log correlation for tomodachi services."""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import Collection
from typing import Any

from opentelemetry.instrumentation.instrumentor import BaseInstrumentor  # type: ignore[attr-defined]

from ._http import http_middleware
from ._logs import attach_logging_handler, detach_logging_handler, disable_trace_ids, enable_trace_ids
from ._messaging import message_middleware
from ._registry import set_for_service, set_global, telemetry_for
from ._telemetry import Telemetry, make_telemetry

POST_INIT_HOOK = "_opentelemetry__post_init_hook"
POST_TEARDOWN_HOOK = "_opentelemetry__post_teardown_hook"
EXCLUDED_URLS_VARIABLES = (
    "OTEL_PYTHON_TOMODACHI_EXCLUDED_URLS",
    "OTEL_PYTHON_AIOHTTP_EXCLUDED_URLS",
    "OTEL_PYTHON_EXCLUDED_URLS",
)
_GENERIC_NAMES = ("", "service", "app")

logger = logging.getLogger("tomodachi.opentelemetry")

# The middlewares added to each instance, so that they are added once and can be taken out again.
_added: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()
_attached_handlers: list[tuple[logging.Logger, logging.Handler]] = []


def excluded_urls_from_environment() -> str | None:
    """The excluded URLs of the environment: the first of ``EXCLUDED_URLS_VARIABLES`` that is set."""
    for name in EXCLUDED_URLS_VARIABLES:
        value = os.environ.get(name)
        if value:
            return value
    return None


def _add_middlewares(service: Any, telemetry: Telemetry) -> None:
    if service in _added:
        return
    http = http_middleware(telemetry, service)
    message = message_middleware(telemetry)
    service.http_middleware = [http, *list(getattr(service, "http_middleware", None) or [])]
    service.message_middleware = [message, *list(getattr(service, "message_middleware", None) or [])]
    _added[service] = (http, message)


def _remove_middlewares(service: Any) -> None:
    added = _added.pop(service, None)
    if added is None:
        return
    http, message = added
    service.http_middleware = [m for m in getattr(service, "http_middleware", None) or [] if m is not http]
    service.message_middleware = [
        m for m in getattr(service, "message_middleware", None) or [] if m is not message
    ]


def _name_resource(telemetry: Telemetry, service: Any) -> None:
    """Give an SDK tracer provider's resource the service's name and uuid when it has none of its own."""
    provider = telemetry.tracer_provider
    resource = getattr(provider, "resource", None)
    update = getattr(provider, "_update_resource", None)
    if resource is None or not callable(update):
        return
    from opentelemetry.sdk.resources import Resource

    name = str(getattr(service, "name", "") or "")
    wanted: dict[str, str] = {}
    if str(resource.attributes.get("service.name", "")).startswith("unknown_service") and (
        name not in _GENERIC_NAMES
    ):
        wanted["service.name"] = name
    if "service.instance.id" not in resource.attributes and getattr(service, "uuid", None):
        wanted["service.instance.id"] = str(service.uuid)
    if wanted:
        update(Resource(wanted))


def _post_init_hook(service: Any) -> None:
    telemetry = telemetry_for(service)
    if telemetry is None:
        return
    _name_resource(telemetry, service)
    _add_middlewares(service, telemetry)


def _post_teardown_hook(service: Any) -> None:
    _remove_middlewares(service)


def _service_classes() -> list[type]:
    from tomodachi._service import TOMODACHI_CLASSES, Service

    return [Service, *TOMODACHI_CLASSES]


class TomodachiInstrumentor(BaseInstrumentor):  # type: ignore[misc]
    """Instruments tomodachi services with OpenTelemetry.

    ``TomodachiInstrumentor().instrument(tracer_provider=..., meter_provider=..., logger_provider=...,
    excluded_urls="regex,regex")`` instruments every service started from then on (each keyword
    optional; the global providers are used otherwise). ``instrument_service`` does it for one
    instance. ``tomodachi run --opentelemetry-instrument`` and ``opentelemetry-instrument tomodachi run``
    call ``instrument()`` for you.
    """

    def instrumentation_dependencies(self) -> Collection[str]:
        """The packages this instrumentation works with."""
        return ("tomodachi >= 0.29",)

    def _instrument(self, **kwargs: Any) -> None:
        excluded = kwargs.get("excluded_urls")
        telemetry = make_telemetry(
            kwargs.get("tracer_provider"),
            kwargs.get("meter_provider"),
            excluded if excluded is not None else excluded_urls_from_environment(),
        )
        set_global(telemetry)
        enable_trace_ids()
        logger_provider = kwargs.get("logger_provider")
        if logger_provider is None:
            from opentelemetry._logs import get_logger_provider

            global_provider = get_logger_provider()
            if type(global_provider).__module__.startswith("opentelemetry.sdk"):
                logger_provider = global_provider
        if logger_provider is not None:
            _attached_handlers.extend(attach_logging_handler(logger_provider))
        for cls in _service_classes():
            setattr(cls, POST_INIT_HOOK, _post_init_hook)
            setattr(cls, POST_TEARDOWN_HOOK, _post_teardown_hook)

    def _uninstrument(self, **kwargs: Any) -> None:
        for cls in _service_classes():
            for name in (POST_INIT_HOOK, POST_TEARDOWN_HOOK):
                if name in vars(cls):
                    delattr(cls, name)
        detach_logging_handler(_attached_handlers)
        _attached_handlers.clear()
        disable_trace_ids()
        set_global(None)

    @staticmethod
    def instrument_service(
        service: Any,
        tracer_provider: Any = None,
        meter_provider: Any = None,
        excluded_urls: Any = None,
    ) -> None:
        """Instrument one service instance, before it starts.

        Args:
            service: The instance.
            tracer_provider: Where its spans go (the global provider when None).
            meter_provider: Where its measurements go (the global provider when None).
            excluded_urls: Regular expressions (``"regex,regex"`` or a list) of URLs to leave untraced.
        """
        telemetry = make_telemetry(
            tracer_provider,
            meter_provider,
            excluded_urls if excluded_urls is not None else excluded_urls_from_environment(),
        )
        set_for_service(service, telemetry)
        enable_trace_ids()
        _name_resource(telemetry, service)
        _add_middlewares(service, telemetry)

    @staticmethod
    def uninstrument_service(service: Any) -> None:
        """Take the instrumentation of ``instrument_service`` (or of ``instrument()``) off one instance.

        Args:
            service: The instance.
        """
        _remove_middlewares(service)
        set_for_service(service, None)


__all__ = ["TomodachiInstrumentor"]
