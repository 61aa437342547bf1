"""What a topic keeps of a published message, and the notification document SNS wraps it in."""

from __future__ import annotations

import base64
import datetime
import hashlib
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
