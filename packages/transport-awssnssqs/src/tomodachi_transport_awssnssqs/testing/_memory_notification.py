"""What a topic keeps of a published message, and the notification document SNS wraps it in."""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ._memory_common import body_attributes


@dataclass
class Published:
    """A message as a topic received it."""

    message_id: str
    topic_arn: str
    message: str
    attributes: dict[str, dict[str, Any]]
    timestamp: float
    subject: str | None = None
    group_id: str | None = None
    deduplication_id: str | None = None
    sequence_number: str | None = None


def notification(published: Published, subscription_arn: str, region: str) -> dict[str, Any]:
    """The JSON document SNS delivers to a queue when raw delivery is off."""
    moment = datetime.datetime.fromtimestamp(published.timestamp, datetime.UTC)
    document: dict[str, Any] = {"Type": "Notification", "MessageId": published.message_id}
    if published.sequence_number is not None:
        document["SequenceNumber"] = published.sequence_number
    document["TopicArn"] = published.topic_arn
    if published.subject is not None:
        document["Subject"] = published.subject
    document["Message"] = published.message
    document["Timestamp"] = moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    document["SignatureVersion"] = "1"
    signature = hashlib.sha256(f"{published.message_id}{published.message}".encode()).digest()
    document["Signature"] = base64.b64encode(signature * 8).decode("ascii")
    document["SigningCertURL"] = f"https://sns.{region}.amazonaws.com/SimpleNotificationService-memory.pem"
    document["UnsubscribeURL"] = (
        f"https://sns.{region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn={subscription_arn}"
    )
    if published.attributes:
        document["MessageAttributes"] = body_attributes(published.attributes)
    return document


def render(document: dict[str, Any]) -> str:
    """The notification as AWS writes it into the SQS body: one ``"Key" : value`` line per field, and
    each message attribute on a line of its own as compact JSON."""

    def text(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = []
    for key, value in document.items():
        if key == "MessageAttributes":
            inner = ",\n".join(
                f"    {text(name)} : {json.dumps(attribute, ensure_ascii=False, separators=(',', ':'))}"
                for name, attribute in value.items()
            )
            rendered = "{\n" + inner + "\n  }"
        else:
            rendered = text(value)
        lines.append(f"  {text(key)} : {rendered}")
    return "{\n" + ",\n".join(lines) + "\n}"
