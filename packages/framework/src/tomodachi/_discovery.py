"""Deprecated service discovery: the registries listed in a service's ``discovery`` attribute.

Each registry (a class or an object) may have async ``_register_service(service)`` and
``_deregister_service(service)`` methods. Registration runs once the transports have started, before
"enabled handler functions"; a failure there stops the start-up like a failing hook. Deregistration
runs at the start of the teardown, before the transports drain; its failures are logged only.
"""

from __future__ import annotations

import inspect
from typing import Any

from .logging import bind_logger, get_logger, log_uncaught_exception


def registry_name(registry: Any) -> str:
    """The name a registry is logged with: its ``name``, else its class name."""
    name = getattr(registry, "name", None)
    if name is not None:
        return str(name)
    if isinstance(registry, type):
        return registry.__name__
    return type(registry).__name__


def registries(instance: Any) -> list[Any]:
    return list(getattr(instance, "discovery", None) or ())


async def _call(registry: Any, method: str, operation: str, instance: Any) -> None:
    function = getattr(registry, method, None)
    if function is None:
        return
    bind_logger(get_logger("tomodachi.discovery").bind(registry=registry_name(registry), operation=operation))
    result = function(instance)
    if inspect.isawaitable(result):
        await result


async def register(instance: Any) -> None:
    """Registers ``instance`` with each of its registries, in order.

    Raises:
        Exception: what a registry raised; the later registries are not called.
    """
    for registry in registries(instance):
        await _call(registry, "_register_service", "register", instance)


async def deregister(instance: Any) -> None:
    """Deregisters ``instance`` from each of its registries, logging (never raising) what fails."""
    for registry in registries(instance):
        try:
            await _call(registry, "_deregister_service", "deregister", instance)
        except Exception as exc:
            log_uncaught_exception(exc)
