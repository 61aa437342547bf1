"""Turning one SQS message into a handler call: body, envelope, keywords and the middleware chain.

Everything that depends only on the handler (its envelope and whether it is async, its signature,
the middleware chain) is worked out once by :func:`plan_handler`; per message only the values change.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tomodachi_middleware import accepted_keywords, compose, handler_specs

from ._attributes import from_response
from ._envelopes import choose, parser
from ._names import topic_from_arn
from ._spec import SNSSQSHandlerSpec

DRAIN_SENTINEL = "__TOMODACHI_DRAIN__cdab4416-1727-4603-87c9-0ff8dddf1f22__"

# The keywords of the README's table and 0.29's additions, in that order.
TRANSPORT_KEYWORDS = (
    "message",
    "message_uuid",
    "topic",
    "receipt_handle",
    "queue_url",
    "message_attributes",
    "approximate_receive_count",
    "sns_message_id",
    "sqs_message_id",
    "message_type",
    "raw_message_body",
    "message_timestamp",
    "message_deduplication_id",
    "message_group_id",
)


class UnparseableMessage(Exception):
    """The message cannot be given to the handler: not JSON, no payload, or its envelope refused it."""


class SkipMessage(Exception):
    """The message carries nothing to handle (tomodachi's drain sentinel): delete it silently."""


@dataclass(frozen=True)
class HandlerPlan:
    """A handler made ready to be called per message."""

    spec: SNSSQSHandlerSpec
    call: Callable[[dict[str, Any], str, str], Awaitable[Any]]


def _bind(service: Any, spec: SNSSQSHandlerSpec) -> Any:
    attribute = getattr(service, spec.name, None)
    if attribute is not None and spec in handler_specs(getattr(attribute, "__func__", attribute)):
        return attribute
    getter = getattr(spec.func, "__get__", None)
    return getter(service, type(service)) if getter else spec.func


def _parameters(handler: Any) -> list[inspect.Parameter]:
    try:
        return [
            parameter
            for parameter in inspect.signature(handler).parameters.values()
            if parameter.kind is not inspect.Parameter.VAR_POSITIONAL
            and parameter.kind is not inspect.Parameter.VAR_KEYWORD
        ]
    except (TypeError, ValueError):
        return []


def plan_handler(service: Any, spec: SNSSQSHandlerSpec) -> HandlerPlan:
    """Prepare ``spec``'s handler on ``service``: envelope, keywords and middleware chain.

    Args:
        service: The service instance.
        spec: The handler's spec.

    Returns:
        The plan; ``await plan.call(sqs_message, queue_url, topic_prefix)`` runs the chain for one message.

    Raises:
        Exception: the envelope's ``validate`` refused the decorator's keywords (e.g. ProtobufBase
            without ``proto_class``), or a middleware cannot be used.
    """
    handler = _bind(service, spec)
    envelope = choose(spec.message_envelope, spec.message_protocol, service)
    envelope_kwargs = dict(spec.envelope_kwargs)
    if envelope is not None and hasattr(envelope, "validate"):
        validated = envelope.validate(**envelope_kwargs)
        if inspect.isawaitable(validated):
            raise TypeError("an envelope's validate must be a plain function")
    parse = parser(envelope) if envelope else None
    parameters = _parameters(handler)
    accepted = accepted_keywords(handler)
    by_position = [p for p in parameters if p.kind is inspect.Parameter.POSITIONAL_ONLY]
    required = [p.name for p in parameters if p.default is inspect.Parameter.empty]
    first = parameters[0].name if parameters else None
    wanted_keys = set(spec.callback_kwargs or ()) | {p.name for p in parameters}

    async def innermost(**keywords: Any) -> Any:
        values: dict[str, Any] = {}
        if parse is None:
            if first is not None and first not in TRANSPORT_KEYWORDS:
                values[first] = keywords["message"]
        elif isinstance(keywords.get("message"), dict):
            values.update({k: v for k, v in keywords["message"].items() if k in wanted_keys})
        values.update(keywords)
        for name in required:
            values.setdefault(name, None)
        args = [values.pop(p.name) for p in by_position]
        if accepted is not None:
            values = {k: v for k, v in values.items() if k in accepted}
        result = handler(*args, **values)
        if inspect.isawaitable(result):
            result = await result
        return result

    innermost.__name__ = spec.name
    innermost.__qualname__ = spec.qualname
    middlewares = list(getattr(service, "message_middleware", None) or [])
    chain = compose(innermost, middlewares, positionals=("service", "message", "topic"))

    async def call(sqs_message: dict[str, Any], queue_url: str, topic_prefix: str) -> Any:
        keywords = await read_message(sqs_message, parse, envelope_kwargs, topic_prefix)
        keywords["queue_url"] = queue_url
        return await chain(service, keywords["message"], keywords["topic"], **keywords)

    return HandlerPlan(spec, call)


async def read_message(
    sqs_message: dict[str, Any],
    parse: Callable[..., Awaitable[Any]] | None,
    envelope_kwargs: dict[str, Any],
    topic_prefix: str,
) -> dict[str, Any]:
    """Return the transport keywords of one SQS message (``queue_url`` aside).

    Raises:
        UnparseableMessage: the body or the envelope cannot be read.
        SkipMessage: the message is tomodachi's drain sentinel.
    """
    raw = sqs_message.get("Body", "")
    try:
        body = json.loads(raw)
    except (TypeError, ValueError):
        raise UnparseableMessage(f"unsupported format of message body: {str(raw)[:1000]}") from None
    if not isinstance(body, dict) or not isinstance(body.get("Message"), str) or not body["Message"]:
        raise UnparseableMessage(f"message body has no 'Message' payload: {str(raw)[:1000]}")
    payload: str = body["Message"]
    if payload == DRAIN_SENTINEL:
        raise SkipMessage
    attributes = sqs_message.get("MessageAttributes") or body.get("MessageAttributes") or {}
    message_attributes = from_response(attributes)
    notification = body.get("Type") == "Notification" and bool(body.get("TopicArn"))
    sqs_attributes = sqs_message.get("Attributes") or {}
    message: Any = payload
    message_uuid = None
    if parse is not None:
        try:
            if envelope_kwargs:
                parsed = await parse(payload, message_attributes=message_attributes, **envelope_kwargs)
            else:
                parsed = await parse(payload)
        except Exception as exc:
            raise UnparseableMessage(f"the envelope could not parse the message: {exc}") from exc
        message, message_uuid = parsed[0], parsed[1]
        if message is False:
            raise UnparseableMessage("the message is in an incompatible envelope")
    receive_count = int(sqs_attributes.get("ApproximateReceiveCount") or 0) or None
    return {
        "message": message,
        "message_uuid": message_uuid,
        "topic": topic_from_arn(body["TopicArn"], topic_prefix) if notification else "",
        "receipt_handle": sqs_message.get("ReceiptHandle"),
        "message_attributes": message_attributes,
        "approximate_receive_count": receive_count,
        "sns_message_id": body.get("MessageId", "") if notification else "",
        "sqs_message_id": sqs_message.get("MessageId"),
        "message_type": body.get("Type"),
        "raw_message_body": raw,
        "message_timestamp": body.get("Timestamp", ""),
        "message_deduplication_id": sqs_attributes.get("MessageDeduplicationId"),
        "message_group_id": sqs_attributes.get("MessageGroupId"),
    }
