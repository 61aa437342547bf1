"""tomodachi 0.29's publishing functions: ``publish`` (SNS) and ``send_message`` (SQS), service first."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from ._envelopes import DEFAULT
from ._publish import MessageBodyFormatter, MessageBodyFormatterProtocol, Publisher, _with_publisher


async def publish(
    service: Any,
    data: Any,
    topic: str,
    wait: bool = True,
    *,
    message_envelope: Any = DEFAULT,
    message_protocol: Any = DEFAULT,
    topic_prefix: str | None = DEFAULT,
    message_attributes: Mapping[str, Any] | None = None,
    topic_attributes: Mapping[str, str] | None = None,
    overwrite_topic_attributes: bool = False,
    group_id: str | None = None,
    deduplication_id: str | None = None,
    **kwargs: Any,
) -> str | asyncio.Task[str]:
    """Publish ``data`` to an SNS topic on behalf of ``service`` (``aws_sns_sqs_publish``).

    Args:
        service: The service (its options, envelope, name and uuid are used).
        data: The data to publish.
        topic: The topic, without prefix.
        wait: With ``False``, return at once a task that publishes.
        message_envelope: The envelope; default the service's ``message_envelope``; ``None``: none.
        message_protocol: Legacy name of ``message_envelope``.
        topic_prefix: Overrides ``aws_sns_sqs.topic_prefix``.
        message_attributes: SNS message attributes.
        topic_attributes: SNS attributes of a topic created by this call.
        overwrite_topic_attributes: Also set them on an existing topic.
        group_id: FIFO message group (publishes to ``<topic>.fifo``).
        deduplication_id: FIFO deduplication id.
        **kwargs: Passed on to the envelope.

    Returns:
        The SNS message id; with ``wait=False`` a task that gives it.

    Raises:
        AWSSNSSQSException: see :meth:`Publisher.publish`, raised by the task with ``wait=False``.
    """
    envelope = message_envelope if message_envelope is not DEFAULT else message_protocol

    async def action(publisher: Publisher) -> str:
        return await publisher.publish(
            topic,
            data,
            message_envelope=envelope,
            message_attributes=message_attributes,
            topic_prefix=topic_prefix,
            topic_attributes=topic_attributes,
            overwrite_topic_attributes=overwrite_topic_attributes,
            group_id=group_id,
            deduplication_id=deduplication_id,
            **kwargs,
        )

    if wait:
        return await _with_publisher(service, action)
    return asyncio.create_task(_with_publisher(service, action))


async def send_message(
    service: Any,
    data: Any,
    queue_name: str,
    wait: bool = True,
    *,
    message_envelope: Any = DEFAULT,
    message_protocol: Any = DEFAULT,
    queue_name_prefix: str | None = DEFAULT,
    message_attributes: Mapping[str, Any] | None = None,
    group_id: str | None = None,
    deduplication_id: str | None = None,
    delay_seconds: int | None = None,
    message_body_formatter: MessageBodyFormatterProtocol | None = MessageBodyFormatter(),  # noqa: B008
    **kwargs: Any,
) -> str | asyncio.Task[str]:
    """Send ``data`` straight to an existing SQS queue for ``service`` (``aws_sns_sqs_send_message``).

    Args:
        service: The service (its options, envelope, name and uuid are used).
        data: The data to send.
        queue_name: The queue's name (prefixed with ``aws_sns_sqs.queue_name_prefix``), ARN or URL.
        wait: With ``False``, return at once a task that publishes.
        message_envelope: The envelope; default the service's; ``None``: none.
        message_protocol: Legacy name of ``message_envelope``.
        queue_name_prefix: Overrides ``aws_sns_sqs.queue_name_prefix``.
        message_attributes: SQS message attributes.
        group_id: Message group of a FIFO queue.
        deduplication_id: FIFO deduplication id.
        delay_seconds: SQS delivery delay.
        message_body_formatter: Makes the body; ``None`` sends ``data`` as the raw body.
        **kwargs: Passed on to the formatter and the envelope.

    Returns:
        The SQS message id; with ``wait=False`` a task that gives it.

    Raises:
        ValueError: ``group_id`` does not match the queue type (raised by the task with ``wait=False``).
        QueueDoesNotExistError: the queue does not exist (raised by the task with ``wait=False``).
    """
    envelope = message_envelope if message_envelope is not DEFAULT else message_protocol

    async def action(publisher: Publisher) -> str:
        return await publisher.send_message(
            queue_name,
            data,
            message_envelope=envelope,
            message_attributes=message_attributes,
            queue_name_prefix=queue_name_prefix,
            group_id=group_id,
            deduplication_id=deduplication_id,
            delay_seconds=delay_seconds,
            message_body_formatter=message_body_formatter,
            **kwargs,
        )

    if wait:
        return await _with_publisher(service, action)
    return asyncio.create_task(_with_publisher(service, action))
