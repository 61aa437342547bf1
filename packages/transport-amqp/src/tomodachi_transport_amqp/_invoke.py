"""Calling one handler for a delivery: the envelope, the keywords, the middleware chain.

Everything about the handler's signature, its envelope and its middlewares is decided once, in
``build_invoker``; the per-message path only parses and calls.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from typing import Any

from tomodachi_middleware import accepted_keywords, compose, handler_specs

from ._errors import AmqpConfigurationError
from ._spec import MESSAGE_ENVELOPE_DEFAULT, AmqpHandlerSpec
from ._values import Delivery

Invoker = Callable[[Delivery], Awaitable[Any]]

TRANSPORT_KEYWORDS = ("message", "message_uuid", "routing_key", "exchange_name", "properties")
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)

# The envelope's top-level values for the message being handled (the chain runs in the caller's task).
_ENVELOPE_VALUES: ContextVar[dict[str, Any]] = ContextVar("tomodachi_transport_amqp.envelope_values")


class UnparseableMessage(Exception):
    """The body could not be decoded or parsed by the handler's envelope."""


def resolve_envelope(spec: AmqpHandlerSpec, service: Any) -> Any:
    """Return the handler's envelope: the decorator's, else the service's, else ``None``."""
    if spec.message_envelope is not MESSAGE_ENVELOPE_DEFAULT:
        return spec.message_envelope
    envelope = getattr(service, "message_envelope", None)
    if envelope is None:
        envelope = getattr(service, "message_protocol", None)
    return envelope


def bind_handler(service: Any, spec: AmqpHandlerSpec) -> Callable[..., Any]:
    """Return the handler as a method of ``service``: what the class holds under the function's name
    when it carries ``spec`` (so decorators applied above ``amqp`` run), else the function bound."""
    func = spec.func
    name = getattr(func, "__name__", None)
    attribute = getattr(service, name, None) if name else None
    if attribute is not None and spec in handler_specs(getattr(attribute, "__func__", attribute)):
        return attribute  # type: ignore[no-any-return]
    getter = getattr(func, "__get__", None)
    if getter is not None and inspect.isfunction(func):
        return getter(service, type(service))  # type: ignore[no-any-return]
    return func


def _parser(envelope: Any, envelope_kwargs: dict[str, Any]) -> Callable[[str], Awaitable[Any]] | None:
    parse = getattr(envelope, "parse_message", None) if envelope else None
    if parse is None:
        return None
    if inspect.iscoroutinefunction(parse):

        async def parse_async(payload: str) -> Any:
            return await parse(payload, **envelope_kwargs)

        return parse_async

    async def parse_sync(payload: str) -> Any:
        result = parse(payload, **envelope_kwargs)
        return (await result) if inspect.isawaitable(result) else result

    return parse_sync


def _adapter(
    handler: Callable[..., Any], callback_kwargs: Sequence[str] | None, raw_first: bool
) -> Callable[..., Awaitable[Any]]:
    """The chain's innermost call: the handler with what it declares, unmatched names as ``None``."""
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError) as exc:
        raise AmqpConfigurationError(f"cannot read the signature of {handler!r}") from exc
    parameters = list(signature.parameters.values())
    accepted = accepted_keywords(handler)
    names = None if accepted is None else frozenset(accepted) | frozenset(callback_kwargs or ())
    if callback_kwargs:
        prefill = dict.fromkeys(callback_kwargs)
    else:
        prefill = {
            p.name: None
            for p in parameters
            if p.kind in (*_POSITIONAL, inspect.Parameter.KEYWORD_ONLY)
            and p.default is inspect.Parameter.empty
        }
    first = next((p.name for p in parameters if p.kind in _POSITIONAL), None)
    if not raw_first or first in TRANSPORT_KEYWORDS:
        first = None
    if first is not None:
        prefill.pop(first, None)
    is_async = inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004
    )

    async def call(**keywords: Any) -> Any:
        values = {**prefill, **_ENVELOPE_VALUES.get({}), **keywords}
        if names is not None:
            values = {name: value for name, value in values.items() if name in names}
        if first is not None:
            raw = values.pop(first) if first in keywords else keywords["message"]
            values.pop(first, None)
            result = handler(raw, **values)
        else:
            result = handler(**values)
        if is_async or inspect.isawaitable(result):
            return await result
        return result

    call.__name__ = getattr(handler, "__name__", "handler")
    call.__qualname__ = getattr(handler, "__qualname__", call.__name__)
    return call


def build_invoker(
    service: Any, spec: AmqpHandlerSpec, *, exchange_name: str, middlewares: Sequence[Any]
) -> Invoker:
    """Return the async function that handles one delivery for ``spec``'s handler.

    The returned function decodes the body, parses it with the envelope (sync or coroutine
    methods, decided here), and runs the middlewares and the handler with the keywords
    ``message``, ``message_uuid``, ``routing_key`` (the decorator's pattern, as in tomodachi
    0.29), ``exchange_name`` and ``properties``, plus the envelope's top-level values by name.
    With no envelope the handler's first parameter receives the body text.

    Args:
        service: The service instance.
        spec: The handler's spec.
        exchange_name: The exchange the handler's queue is bound to.
        middlewares: The service's ``message_middleware``, outermost first.

    Returns:
        ``invoke(delivery)``; it raises ``UnparseableMessage`` for a body the envelope refuses,
        and whatever the handler or a middleware raises.

    Raises:
        AmqpConfigurationError: the handler's signature cannot be read.
        tomodachi_middleware.MiddlewareError: a middleware cannot work.
        Exception: the envelope's ``validate`` refused the decorator's keywords.
    """
    envelope = resolve_envelope(spec, service)
    validate = getattr(envelope, "validate", None) if envelope else None
    if validate is not None:
        validate(**spec.envelope_kwargs)
    parse = _parser(envelope, spec.envelope_kwargs)
    handler = bind_handler(service, spec)
    call = _adapter(handler, spec.callback_kwargs, raw_first=parse is None)
    chain = (
        compose(call, list(middlewares), positionals=("service", "message", "routing_key"))
        if middlewares
        else None
    )
    routing_key = spec.routing_key

    async def invoke(delivery: Delivery) -> Any:
        try:
            payload = delivery.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnparseableMessage(f"the body is not UTF-8 text: {exc}") from exc
        message: Any = payload
        message_uuid = None
        if parse is not None:
            try:
                message, message_uuid, _timestamp = await parse(payload)
            except Exception as exc:
                raise UnparseableMessage(f"{type(exc).__name__}: {exc}") from exc
            if message is False:
                raise UnparseableMessage("the envelope does not recognise the message")
            if isinstance(message, dict):
                _ENVELOPE_VALUES.set(message)
        keywords = {
            "message": message,
            "message_uuid": message_uuid,
            "routing_key": routing_key,
            "exchange_name": exchange_name,
            "properties": delivery.properties,
        }
        if chain is None:
            return await call(**keywords)
        return await chain(service, message, routing_key, **keywords)

    return invoke
