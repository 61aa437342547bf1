"""The message middleware: a CONSUMER span and the message metrics around each SQS or AMQP handler run."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from opentelemetry import propagate
from opentelemetry.trace import SpanKind

from ._measured import run_measured
from ._telemetry import Instruments, Telemetry


def _queue_name(queue_url: str, prefix: str) -> str:
    name = queue_url.rstrip("/").rsplit("/", 1)[-1]
    return name[len(prefix) :] if prefix and name.startswith(prefix) else name


def _sqs(service: Any, keywords: Mapping[str, Any]) -> tuple[str, dict[str, Any], Mapping[str, Any]]:
    """The span name, attributes and trace carrier of an SQS message."""
    section = getattr(getattr(service, "options", None), "aws_sns_sqs", None)
    queue = _queue_name(
        str(keywords.get("queue_url") or ""), str(getattr(section, "queue_name_prefix", "") or "")
    )
    topic = str(keywords.get("topic") or "")
    attributes: dict[str, Any] = {
        "messaging.system": "aws_sqs",
        "messaging.operation": "process",
        "messaging.destination.name": queue,
        "messaging.destination.kind": "queue",
        "messaging.message.id": str(keywords.get("sns_message_id") or keywords.get("sqs_message_id") or ""),
        "messaging.destination_publish.name": topic or queue,
        "messaging.destination_publish.kind": "topic" if topic else "queue",
    }
    carrier = keywords.get("message_attributes")
    return f"{topic or queue} process", attributes, carrier if isinstance(carrier, Mapping) else {}


def _amqp(keywords: Mapping[str, Any]) -> tuple[str, dict[str, Any], Mapping[str, Any]]:
    """The span name, attributes and trace carrier of an AMQP delivery."""
    routing_key = str(keywords.get("routing_key") or "")
    attributes: dict[str, Any] = {
        "messaging.system": "rabbitmq",
        "messaging.operation": "process",
        "messaging.destination.name": str(keywords.get("exchange_name") or ""),
        "messaging.rabbitmq.destination.routing_key": routing_key,
    }
    headers = getattr(keywords.get("properties"), "headers", None)
    return f"{routing_key} process", attributes, headers if isinstance(headers, Mapping) else {}


def message_middleware(telemetry: Telemetry) -> Callable[..., Any]:
    """The middleware to put first in ``service.message_middleware``.

    SQS messages are told from AMQP deliveries by their keywords (``queue_url`` or ``properties``).

    Args:
        telemetry: Where spans and measurements go.

    Returns:
        An async middleware ``(func, service, **keywords)``.
    """
    tracer = telemetry.tracer

    async def opentelemetry_message_middleware(func: Any, service: Any, **keywords: Any) -> Any:
        instruments: Instruments
        if "queue_url" in keywords:
            name, attributes, carrier = _sqs(service, keywords)
            instruments = telemetry.sqs
        elif "properties" in keywords:
            name, attributes, carrier = _amqp(keywords)
            instruments = telemetry.amqp
        else:
            return await func()
        attributes["code.function"] = func.__name__
        metric_attributes = {
            "messaging.system": attributes["messaging.system"],
            "messaging.destination.name": attributes["messaging.destination.name"],
            "code.function": func.__name__,
        }
        return await run_measured(
            func,
            tracer=tracer,
            instruments=instruments,
            name=name,
            kind=SpanKind.CONSUMER,
            attributes=attributes,
            metric_attributes=metric_attributes,
            context=propagate.extract(carrier),
        )

    return opentelemetry_message_middleware
