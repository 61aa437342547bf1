"""Calling a service's lifecycle hooks (sync or async) in their own logging context."""

from __future__ import annotations

import inspect
from typing import Any

from ._contextvars import get_contextvar
from .logging import bind_logger, get_logger

LIFECYCLE_HOOKS = ("_start_service", "_started_service", "_stopping_service", "_stop_service")

# The event name each hook's log context carries, as tomodachi names them.
_EVENTS = {
    "_start_service": "lifecycle.setup",
    "_started_service": "lifecycle.initialized",
    "_stopping_service": "lifecycle.interrupt",
    "_stop_service": "lifecycle.teardown",
}


def has_hooks(instance: Any) -> bool:
    return any(callable(getattr(instance, name, None)) for name in ("_start_service", "_started_service"))


async def call_hook(instance: Any, name: str) -> None:
    """Calls ``instance.<name>()`` if it exists, awaiting it when it returns an awaitable."""
    hook = getattr(instance, name, None)
    if not callable(hook):
        return
    logger = get_logger("tomodachi.lifecycle.handler").bind(
        handler=name, type="tomodachi.event", event=_EVENTS.get(name, name)
    )
    bind_logger(logger)
    get_contextvar("service.logger").set("tomodachi.lifecycle.handler")
    result = hook()
    if inspect.isawaitable(result):
        await result


def call_named_hooks(instance: Any, suffix: str) -> None:
    """Calls every method of ``instance`` whose name starts with ``_`` and ends with ``suffix``.

    Extensions (OpenTelemetry) attach ``*__post_init_hook`` and ``*__post_teardown_hook`` methods.
    """
    for name in dir(instance):
        if name.startswith("_") and name.endswith(suffix):
            method = getattr(instance, name, None)
            if inspect.ismethod(method) or inspect.isfunction(method):
                method()
