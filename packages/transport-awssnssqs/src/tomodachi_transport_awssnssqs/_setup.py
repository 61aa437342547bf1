"""Setting up a handler's queue, dead-letter queue, topic, queue policy and subscription as 0.29 does.

Queue attributes are changed only where the handler (or the options) ask for a value that differs
from the current one; arguments left at their defaults leave the queue as it is.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

from ._envelopes import DEFAULT
from ._errors import AWSClientError, AWSSNSSQSException, QueueDoesNotExistError
from ._names import (
    encode_topic,
    generated_queue_name,
    topic_name,
    validate_queue_name,
    validate_topic_name,
    wildcard_pattern,
)
from ._publish import Publisher
from ._spec import SNSSQSHandlerSpec

logger = logging.getLogger("tomodachi.awssnssqs")

DLQ_RETENTION_PERIOD = 1209600  # 14 days
FIFO_QUEUE_ATTRIBUTES = {
    "FifoQueue": "true",
    "ContentBasedDeduplication": "false",
    "DeduplicationScope": "messageGroup",
    "FifoThroughputLimit": "perMessageGroupId",
}
_QUEUE_ATTRIBUTES = [
    "QueueArn",
    "Policy",
    "RedrivePolicy",
    "VisibilityTimeout",
    "KmsMasterKeyId",
    "KmsDataKeyReusePeriodSeconds",
]


@dataclass(frozen=True)
class QueueSetup:
    """What consuming a handler's queue needs to know, once it is set up."""

    queue_url: str
    queue_arn: str
    visibility_timeout: int
    dead_letter_queue_url: str | None
    topic_arns: tuple[str, ...] = ()
    max_receive_count: int | None = None


def _section(service: Any) -> Any:
    return getattr(getattr(service, "options", None), "aws_sns_sqs", None)


def _option(service: Any, name: str) -> Any:
    return getattr(_section(service), name, None)


async def _queue_by_arn(publisher: Publisher, arn: str, what: str) -> str:
    try:
        return await publisher.queue_url(arn)
    except QueueDoesNotExistError as exc:
        raise AWSSNSSQSException(f"AWS SQS {what} with specific ARN ({arn}) does not exist") from exc


async def _ensure_queue(publisher: Publisher, name: str, fifo: bool, retention: int | None = None) -> str:
    validate_queue_name(name)
    try:
        return await publisher.queue_url(name)
    except QueueDoesNotExistError:
        pass
    attributes = dict(FIFO_QUEUE_ATTRIBUTES) if fifo else {}
    if retention:
        attributes["MessageRetentionPeriod"] = str(retention)
    return await publisher.create_queue(name, attributes)


def _redrive_policy(publisher_prefix: str, spec: SNSSQSHandlerSpec) -> tuple[str | None, Any]:
    """Return (dead-letter queue name or ARN, max receive count) or raise; ``(None, None)``: untouched."""
    name, count = spec.dead_letter_queue_name, spec.max_receive_count
    if name is DEFAULT and count is DEFAULT:
        return None, None
    if name is None and count in (DEFAULT, None):
        return "", None
    if (
        not isinstance(name, str)
        or not name.strip()
        or not isinstance(count, int)
        or isinstance(count, bool)
        or count < 1
    ):
        raise AWSSNSSQSException(
            "Invalid values specified for dead-letter queue parameters "
            "(dead_letter_queue_name and max_receive_count)"
        )
    if name.startswith("arn:aws:sqs:"):
        return name, count
    return f"{publisher_prefix}{name}", count


def queue_policy(queue_arn: str, topic_arns: list[str], service: Any) -> dict[str, Any]:
    """Return the policy that lets the topics (one ARN, or their common prefix + ``*``) send to the queue."""
    if len(topic_arns) == 1:
        source = _option(service, "queue_policy") or topic_arns[0]
    else:
        common = ""
        for chars in zip(*topic_arns, strict=False):
            if len(set(chars)) != 1:
                break
            common += chars[0]
        source = f"{common}*"
        source = _option(service, "queue_policy") or source
        source = _option(service, "wildcard_queue_policy") or source
    return {
        "Version": "2012-10-17",
        "Id": f"{queue_arn}/SQSDefaultPolicy",
        "Statement": [
            {
                "Sid": f"{uuid.uuid4()}{f'{time.time():.3f}'.replace('.', '')}",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "SQS:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": source}},
            }
        ],
    }


def _kms_key(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if value is False or value == "":
        return ""
    if isinstance(value, str):
        return value
    raise ValueError(f"Bad value for aws_sns_sqs option {name}: {value}")


def _reuse_period(value: Any) -> int | None:
    if value is True:
        raise ValueError(f"Bad value for aws_sns_sqs option sqs_kms_data_key_reuse_period: {value}")
    if value is None or value is False:
        return None
    try:
        period = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"Bad value for aws_sns_sqs option sqs_kms_data_key_reuse_period: {value}") from None
    return period or None


def _visibility_timeout(value: Any) -> int | None:
    if value is DEFAULT or value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 43200:
        raise AWSSNSSQSException("SQS visibility_timeout is invalid")
    return value


def _statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**statement, "Sid": ""} for statement in policy.get("Statement", [])]


async def _apply_queue_attributes(
    publisher: Publisher,
    spec: SNSSQSHandlerSpec,
    service: Any,
    queue_url: str,
    current: dict[str, str],
    policy: dict[str, Any] | None,
    redrive: dict[str, Any] | None,
) -> None:
    wanted: dict[str, str] = {}
    current_policy = json.loads(current.get("Policy") or "{}")
    if policy is not None and (not current_policy or _statements(current_policy) != _statements(policy)):
        wanted["Policy"] = json.dumps(policy)
    visibility = _visibility_timeout(spec.visibility_timeout)
    if visibility is not None and str(visibility) != current.get("VisibilityTimeout"):
        wanted["VisibilityTimeout"] = str(visibility)
    if redrive is not None and redrive != json.loads(current.get("RedrivePolicy") or "{}"):
        wanted["RedrivePolicy"] = json.dumps(redrive) if redrive else ""
    kms = _kms_key(_option(service, "sqs_kms_master_key_id"), "sqs_kms_master_key_id")
    current_kms = current.get("KmsMasterKeyId") or ""
    if kms is not None and kms != current_kms:
        wanted["KmsMasterKeyId"] = kms
    period = _reuse_period(_option(service, "sqs_kms_data_key_reuse_period"))
    if (
        period is not None
        and (current_kms or kms)
        and str(period) != current.get("KmsDataKeyReusePeriodSeconds")
    ):
        wanted["KmsDataKeyReusePeriodSeconds"] = str(period)
    if not wanted:
        return
    if current_policy:
        for name in wanted:
            logger.info("updating attribute on SQS queue", extra={"attribute": name, "queue_url": queue_url})
    await publisher.client.call("sqs", "set_queue_attributes", QueueUrl=queue_url, Attributes=wanted)


async def _subscribe(publisher: Publisher, spec: SNSSQSHandlerSpec, topic_arn: str, queue_arn: str) -> None:
    attributes: dict[str, str] = {}
    if spec.filter_policy is not DEFAULT:
        value = spec.filter_policy
        if isinstance(value, str):
            value = json.loads(value)
        attributes["FilterPolicy"] = json.dumps(value if value is not None else {})
    params: dict[str, Any] = {"TopicArn": topic_arn, "Protocol": "sqs", "Endpoint": queue_arn}
    try:
        await publisher.client.call(
            "sns", "subscribe", **params, **({"Attributes": attributes} if attributes else {})
        )
        return
    except AWSClientError as exc:
        if not attributes or "already exists" not in str(exc):
            raise
    response = await publisher.client.call("sns", "subscribe", **params)
    logger.info(
        "updating subscription attributes; changes can take several minutes to propagate",
        extra={"topic_arn": topic_arn, "queue_arn": queue_arn},
    )
    for name, value in attributes.items():
        await publisher.client.call(
            "sns",
            "set_subscription_attributes",
            SubscriptionArn=response["SubscriptionArn"],
            AttributeName=name,
            AttributeValue=value,
        )


async def _wildcard_topics(publisher: Publisher, pattern: re.Pattern[str]) -> list[str]:
    matches: list[str] = []
    token: str | None = None
    while True:
        response = await publisher.client.call(
            "sns", "list_topics", **({"NextToken": token} if token else {})
        )
        matches.extend(
            t["TopicArn"] for t in response.get("Topics", []) if pattern.match(t.get("TopicArn", ""))
        )
        token = response.get("NextToken")
        if not token:
            return matches


async def set_up(publisher: Publisher, spec: SNSSQSHandlerSpec, service: Any) -> QueueSetup:
    """Create or update what the handler consumes: queue, dead-letter queue, topic, policy, subscription.

    Args:
        publisher: The runtime's publisher (its client and caches are shared).
        spec: The handler.
        service: The service instance (options, uuid).

    Returns:
        The queue's URL and ARN, its visibility timeout and the dead-letter queue URL.

    Raises:
        AWSSNSSQSException: a name or argument is invalid, or the queue type does not match.
        AWSClientError: AWS refused a step.
        AWSSNSSQSConnectionException: AWS could not be reached.
    """
    queue_prefix = _option(service, "queue_name_prefix") or ""
    topic_prefix = _option(service, "topic_prefix") or ""
    if spec.queue_name is None:
        name = generated_queue_name(
            spec.topic or "",
            spec.name,
            str(getattr(service, "uuid", "")),
            competing=spec.competing,
            prefix=queue_prefix,
            fifo=spec.fifo,
        )
        queue_url = await _ensure_queue(publisher, name, spec.fifo)
    elif spec.queue_name.startswith("arn:aws:sqs:"):
        queue_url = await _queue_by_arn(publisher, spec.queue_name, "queue")
    else:
        queue_url = await _ensure_queue(publisher, f"{queue_prefix}{spec.queue_name}", spec.fifo)
    current = (
        await publisher.client.call(
            "sqs", "get_queue_attributes", QueueUrl=queue_url, AttributeNames=_QUEUE_ATTRIBUTES
        )
    ).get("Attributes", {})
    queue_arn = str(current["QueueArn"])
    if queue_arn.endswith(".fifo") != spec.fifo:
        expected, actual = ("FIFO", "Standard") if spec.fifo else ("Standard", "FIFO")
        raise AWSSNSSQSException(
            f"AWS SQS queue configured as {actual}, but the handler expected {expected}."
        )

    dlq_name, max_receive_count = _redrive_policy(queue_prefix, spec)
    redrive: dict[str, Any] | None = None
    dlq_url: str | None = None
    if dlq_name == "":
        redrive = {}
    elif dlq_name is not None:
        if dlq_name.startswith("arn:aws:sqs:"):
            dlq_url = await _queue_by_arn(publisher, dlq_name, "dead-letter queue")
            dlq_arn = dlq_name
        else:
            dlq_url = await _ensure_queue(publisher, dlq_name, spec.fifo, DLQ_RETENTION_PERIOD)
            dlq_arn = str(
                (
                    await publisher.client.call(
                        "sqs", "get_queue_attributes", QueueUrl=dlq_url, AttributeNames=["QueueArn"]
                    )
                )["Attributes"]["QueueArn"]
            )
        redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count}
    elif current.get("RedrivePolicy"):
        current_redrive = json.loads(current["RedrivePolicy"])
        target = current_redrive.get("deadLetterTargetArn")
        if str(current_redrive.get("maxReceiveCount", "")).isdigit():
            max_receive_count = int(current_redrive["maxReceiveCount"])
        if target:
            dlq_url = await _queue_by_arn(publisher, target, "dead-letter queue")

    topic_arns: list[str] = []
    if spec.topic and re.search(r"[*#]", spec.topic):
        pattern = wildcard_pattern(encode_topic(topic_name(spec.topic, topic_prefix, spec.fifo)))
        topic_arns = await _wildcard_topics(publisher, pattern)
    elif spec.topic:
        validate_topic_name(spec.topic)
        attributes: dict[str, str] = {}
        kms = _kms_key(_option(service, "sns_kms_master_key_id"), "sns_kms_master_key_id")
        if kms is not None:
            attributes["KmsMasterKeyId"] = kms
        topic_arns = [
            await publisher.topic_arn(
                topic_name(spec.topic, topic_prefix, spec.fifo), attributes, overwrite=True
            )
        ]
    policy = queue_policy(queue_arn, topic_arns, service) if topic_arns else None
    await _apply_queue_attributes(publisher, spec, service, queue_url, current, policy, redrive)
    for topic_arn in topic_arns:
        await _subscribe(publisher, spec, topic_arn, queue_arn)
    visibility = _visibility_timeout(spec.visibility_timeout)
    if visibility is None:
        visibility = int(current.get("VisibilityTimeout") or 30)
    return QueueSetup(queue_url, queue_arn, visibility, dlq_url, tuple(topic_arns), max_receive_count)
