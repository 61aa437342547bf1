"""Choosing a message envelope and calling it, whether its methods are plain or coroutines.

``tomodachi_envelope``'s envelopes are synchronous, the facade's and 0.29's custom ones are async: the
kind is read once (``inspect.iscoroutinefunction``) and the call made accordingly.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any


class _Default:
    __slots__ = ()

    def __repr__(self) -> str:
        return "DEFAULT"

    def __bool__(self) -> bool:
        return False


DEFAULT: Any = _Default()
"""Sentinel of an argument that was not given (so ``None`` can mean "none")."""


def service_envelope(service: Any) -> Any:
    """Return the envelope a service declares (``message_envelope``, legacy ``message_protocol``)."""
    envelope = getattr(service, "message_envelope", None)
    if envelope is None:
        envelope = getattr(service, "message_protocol", None)
    return envelope


def choose(given: Any, legacy: Any, service: Any) -> Any:
    """Return the envelope to use: the argument, its legacy name, the service's, or ``None``."""
    if given is not DEFAULT:
        return given
    if legacy is not DEFAULT:
        return legacy
    return service_envelope(service) if service is not None else None


def _adapt(method: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    if inspect.iscoroutinefunction(method):
        return method

    async def call(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        if inspect.isawaitable(result):
            return await result
        return result

    return call


def builder(envelope: Any) -> Callable[..., Awaitable[str]]:
    """Return ``await build(service, topic, data, **kwargs)`` for a sync or async envelope."""
    return _adapt(envelope.build_message)


def parser(envelope: Any) -> Callable[..., Awaitable[Any]]:
    """Return ``await parse(payload, **kwargs)`` for a sync or async envelope."""
    return _adapt(envelope.parse_message)
