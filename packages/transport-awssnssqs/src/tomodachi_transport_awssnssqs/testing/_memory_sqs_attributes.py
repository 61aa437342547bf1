"""The checks SQS makes of queue attributes given to CreateQueue and SetQueueAttributes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._memory_common import client_error

if TYPE_CHECKING:
    from ._memory_sqs_core import SQSCore as SQS

_RANGES = {
    "VisibilityTimeout": (0, 43200),
    "DelaySeconds": (0, 900),
    "MaximumMessageSize": (1024, 262144),
    "MessageRetentionPeriod": (60, 1209600),
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "KmsDataKeyReusePeriodSeconds": (60, 86400),
}
_FREE = {"Policy", "KmsMasterKeyId", "RedriveAllowPolicy", "SqsManagedSseEnabled"}
_FIFO_ONLY = {
    "ContentBasedDeduplication": ("true", "false"),
    "DeduplicationScope": ("messageGroup", "queue"),
    "FifoThroughputLimit": ("perQueue", "perMessageGroupId"),
}


def check_queue_attributes(
    sqs: SQS, operation: str, attributes: dict[str, str], *, fifo: bool, creating: bool
) -> None:
    """Refuse unknown attributes and values out of range, as SQS does.

    Raises:
        AWSClientError: ``InvalidAttributeName`` or ``InvalidAttributeValue``.
    """
    for name, value in attributes.items():
        if name in _RANGES:
            low, high = _RANGES[name]
            if not value.lstrip("-").isdigit() or not low <= int(value) <= high:
                raise _bad_value(operation, name, value, f"must be between {low} and {high}")
        elif name == "FifoQueue":
            if not creating:
                raise client_error(operation, "InvalidAttributeName", f"Unknown Attribute {name}.")
        elif name in _FIFO_ONLY:
            if not fifo:
                raise client_error(operation, "InvalidAttributeName", f"Unknown Attribute {name}.")
            if value not in _FIFO_ONLY[name]:
                raise _bad_value(operation, name, value, "is not one of the accepted values")
        elif name == "RedrivePolicy":
            _check_redrive(sqs, operation, value, fifo)
        elif name == "Policy":
            if value:
                try:
                    json.loads(value)
                except ValueError:
                    raise _bad_value(operation, name, value, "is not valid JSON") from None
        elif name not in _FREE:
            raise client_error(operation, "InvalidAttributeName", f"Unknown Attribute {name}.")


def _check_redrive(sqs: SQS, operation: str, value: str, fifo: bool) -> None:
    if value == "":
        return
    try:
        policy: Any = json.loads(value)
        target = str(policy["deadLetterTargetArn"])
        count = int(policy["maxReceiveCount"])
    except (ValueError, KeyError, TypeError):
        raise _bad_value(
            operation, "RedrivePolicy", value, "Redrive policy is not a valid JSON map with "
            "deadLetterTargetArn and maxReceiveCount",
        ) from None  # fmt: skip
    if not 1 <= count <= 1000:
        raise _bad_value(operation, "RedrivePolicy", value, "Invalid value for maxReceiveCount")
    target_queue = sqs.find(target) if target.startswith("arn:aws:sqs:") else None
    if target_queue is None:
        raise _bad_value(operation, "RedrivePolicy", value, "Dead-letter target does not exist")
    if target_queue.fifo != fifo:
        raise _bad_value(
            operation,
            "RedrivePolicy",
            value,
            "Dead-letter queue must be of the same type as the source queue",
        )


def _bad_value(operation: str, name: str, value: str, reason: str) -> Exception:
    return client_error(
        operation, "InvalidAttributeValue", f"Invalid value for the parameter {name}. Reason: {reason}."
    )
