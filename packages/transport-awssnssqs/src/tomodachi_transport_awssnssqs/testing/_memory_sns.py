"""The in-memory SNS: topics, SQS subscriptions with filter policies and raw delivery, FIFO topics."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._memory_clock import Clock
from ._memory_common import MAX_MESSAGE_BYTES, check_params, client_error, message_size, validate_attributes
from ._memory_filter import FilterPolicyError, attribute_values, body_matches, matches, parse_policy
from ._memory_notification import Published, notification, render
from ._memory_queue import DEDUPLICATION_WINDOW
from ._memory_sqs import SQS, next_sequence_number

_TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_SUBSCRIPTION_ATTRIBUTES = {"FilterPolicy", "FilterPolicyScope", "RawMessageDelivery", "RedrivePolicy"}
_TOPIC_ATTRIBUTES = {
    "DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "FifoTopic", "ContentBasedDeduplication",
    "SignatureVersion", "TracingConfig", "ArchivePolicy", "DataProtectionPolicy", "FifoThroughputScope",
}  # fmt: skip
PAGE_SIZE = 100


@dataclass
class Subscription:
    arn: str
    topic_arn: str
    protocol: str
    endpoint: str
    attributes: dict[str, str] = field(default_factory=dict)
    policy: dict[str, Any] | None = None


@dataclass
class Topic:
    name: str
    arn: str
    attributes: dict[str, str]
    published: list[Published] = field(default_factory=list)
    deduplication: dict[str, tuple[str, float]] = field(default_factory=dict)

    @property
    def fifo(self) -> bool:
        return self.attributes.get("FifoTopic") == "true"


class SNS:
    """The topics and subscriptions of one account in one region, delivering into ``sqs``."""

    def __init__(self, clock: Callable[[], Clock], sqs: SQS) -> None:
        self._clock = clock
        self.sqs = sqs
        self.topics: dict[str, Topic] = {}
        self.subscriptions: dict[str, Subscription] = {}

    def arn_of(self, name: str) -> str:
        return f"arn:aws:sns:{self.sqs.region}:{self.sqs.account}:{name}"

    def find(self, reference: str) -> Topic | None:
        """The topic with this full name or ARN."""
        name = reference.rsplit(":", 1)[-1]
        topic = self.topics.get(name)
        if topic is None or (reference.startswith("arn:") and reference != topic.arn):
            return None
        return topic

    def topic(self, operation: str, arn: Any) -> Topic:
        topic = self.find(str(arn)) if str(arn).startswith("arn:aws:sns:") else None
        if topic is None:
            raise client_error(operation, "NotFound", "Topic does not exist")
        return topic

    # -- topics

    async def create_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "create_topic"
        check_params(operation, params, ["Name"], ["Attributes", "Tags", "DataProtectionPolicy"])
        name = str(params["Name"])
        attributes = {str(k): str(v) for k, v in (params.get("Attributes") or {}).items()}
        fifo = attributes.get("FifoTopic", "false").lower() == "true"
        base = name[:-5] if fifo and name.endswith(".fifo") else name
        if not _TOPIC_NAME.match(base) or fifo != name.endswith(".fifo"):
            reason = " (only FIFO topic names end with .fifo)" if _TOPIC_NAME.match(base) else ""
            raise client_error(operation, "InvalidParameter", f"Invalid parameter: Topic Name{reason}")
        for key in attributes:
            if key not in _TOPIC_ATTRIBUTES:
                raise client_error(operation, "InvalidParameter", f"Invalid parameter: AttributeName {key}")
        existing = self.topics.get(name)
        if existing is not None:
            for key, value in attributes.items():
                if existing.attributes.get(key, "") != value and not (key == "FifoTopic" and not fifo):
                    reason = "Topic already exists with different attributes"
                    raise client_error(
                        operation, "InvalidParameter", f"Invalid parameter: Attributes Reason: {reason}"
                    )
            return {"TopicArn": existing.arn}
        values = {key: value for key, value in attributes.items() if value != ""}
        if fifo:
            values["FifoTopic"] = "true"
            values.setdefault("ContentBasedDeduplication", "false")
        else:
            values.pop("FifoTopic", None)
        topic = Topic(name=name, arn=self.arn_of(name), attributes=values)
        self.topics[name] = topic
        return {"TopicArn": topic.arn}

    async def delete_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("delete_topic", params, ["TopicArn"])
        topic = self.find(str(params["TopicArn"]))
        if topic is not None:
            del self.topics[topic.name]
            for arn, subscription in list(self.subscriptions.items()):
                if subscription.topic_arn == topic.arn:
                    del self.subscriptions[arn]
        return {}

    async def get_topic_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("get_topic_attributes", params, ["TopicArn"])
        topic = self.topic("get_topic_attributes", params["TopicArn"])
        count = sum(1 for s in self.subscriptions.values() if s.topic_arn == topic.arn)
        values = {
            "TopicArn": topic.arn,
            "Owner": self.sqs.account,
            "DisplayName": "",
            "SubscriptionsConfirmed": str(count),
            "SubscriptionsPending": "0",
            "SubscriptionsDeleted": "0",
            **topic.attributes,
        }
        return {"Attributes": values}

    async def set_topic_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "set_topic_attributes"
        check_params(operation, params, ["TopicArn", "AttributeName"], ["AttributeValue"])
        topic = self.topic(operation, params["TopicArn"])
        name, value = str(params["AttributeName"]), str(params.get("AttributeValue") or "")
        if name not in _TOPIC_ATTRIBUTES or name == "FifoTopic":
            raise client_error(operation, "InvalidParameter", f"Invalid parameter: AttributeName {name}")
        if value == "":
            topic.attributes.pop(name, None)
        else:
            topic.attributes[name] = value
        return {}

    async def list_topics(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("list_topics", params, [], ["NextToken"])
        arns = sorted(topic.arn for topic in self.topics.values())
        start = int(params.get("NextToken") or 0)
        response: dict[str, Any] = {"Topics": [{"TopicArn": arn} for arn in arns[start : start + PAGE_SIZE]]}
        if start + PAGE_SIZE < len(arns):
            response["NextToken"] = str(start + PAGE_SIZE)
        return response

    # -- subscriptions

    async def subscribe(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "subscribe"
        check_params(
            operation, params, ["TopicArn", "Protocol"], ["Endpoint", "Attributes", "ReturnSubscriptionArn"]
        )
        topic = self.topic(operation, params["TopicArn"])
        protocol, endpoint = str(params["Protocol"]), str(params.get("Endpoint") or "")
        attributes = {str(k): str(v) for k, v in (params.get("Attributes") or {}).items()}
        if protocol == "sqs":
            if not endpoint.startswith("arn:aws:sqs:"):
                raise client_error(operation, "InvalidParameter", "Invalid parameter: SQS endpoint ARN")
            if endpoint.endswith(".fifo") != topic.fifo:
                raise client_error(
                    operation, "InvalidParameter", "Invalid parameter: Invalid parameter: Endpoint Reason: "
                    + ("FIFO SNS Topics currently only support FIFO SQS Queues as endpoints" if topic.fifo
                       else "Please use FIFO SNS Topic to subscribe a FIFO SQS Queue"),
                )  # fmt: skip
        policy = self._check_subscription_attributes(operation, attributes)
        for subscription in self.subscriptions.values():
            if (subscription.topic_arn, subscription.protocol, subscription.endpoint) == (
                topic.arn,
                protocol,
                endpoint,
            ):
                if any(subscription.attributes.get(k, "") != v for k, v in attributes.items()):
                    raise client_error(
                        operation, "InvalidParameter", "Invalid parameter: Attributes Reason: "
                        "Subscription already exists with different attributes",
                    )  # fmt: skip
                return {"SubscriptionArn": subscription.arn}
        arn = f"{topic.arn}:{uuid.uuid4()}"
        self.subscriptions[arn] = Subscription(arn, topic.arn, protocol, endpoint, attributes, policy)
        return {"SubscriptionArn": arn}

    def _check_subscription_attributes(self, operation: str, attributes: dict[str, str]) -> Any:
        for name, value in attributes.items():
            if name not in _SUBSCRIPTION_ATTRIBUTES:
                raise client_error(
                    operation, "InvalidParameter", f"Invalid parameter: Attributes Reason: {name}"
                )
            if name == "RawMessageDelivery" and value.lower() not in ("true", "false"):
                raise client_error(operation, "InvalidParameter", "Invalid parameter: RawMessageDelivery")
            if name == "FilterPolicyScope" and value not in ("MessageAttributes", "MessageBody"):
                raise client_error(operation, "InvalidParameter", "Invalid parameter: FilterPolicyScope")
        scope = attributes.get("FilterPolicyScope") or "MessageAttributes"
        try:
            return parse_policy(attributes.get("FilterPolicy", ""), scope)
        except FilterPolicyError as exc:
            raise client_error(
                operation, "InvalidParameter", f"Invalid parameter: FilterPolicy: {exc}"
            ) from None

    async def set_subscription_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "set_subscription_attributes"
        check_params(operation, params, ["SubscriptionArn", "AttributeName"], ["AttributeValue"])
        subscription = self._subscription(operation, params["SubscriptionArn"])
        attributes = {
            **subscription.attributes,
            str(params["AttributeName"]): str(params.get("AttributeValue") or ""),
        }
        subscription.policy = self._check_subscription_attributes(operation, attributes)
        subscription.attributes = {key: value for key, value in attributes.items() if value != ""}
        return {}

    async def get_subscription_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("get_subscription_attributes", params, ["SubscriptionArn"])
        subscription = self._subscription("get_subscription_attributes", params["SubscriptionArn"])
        values = {
            "SubscriptionArn": subscription.arn,
            "TopicArn": subscription.topic_arn,
            "Protocol": subscription.protocol,
            "Endpoint": subscription.endpoint,
            "Owner": self.sqs.account,
            "ConfirmationWasAuthenticated": "true",
            "PendingConfirmation": "false",
            "RawMessageDelivery": "false",
            **subscription.attributes,
        }
        return {"Attributes": values}

    async def unsubscribe(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("unsubscribe", params, ["SubscriptionArn"])
        self.subscriptions.pop(str(params["SubscriptionArn"]), None)
        return {}

    async def list_subscriptions_by_topic(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("list_subscriptions_by_topic", params, ["TopicArn"], ["NextToken"])
        topic = self.topic("list_subscriptions_by_topic", params["TopicArn"])
        return {
            "Subscriptions": [
                _listed(s, self.sqs.account) for s in self.subscriptions.values() if s.topic_arn == topic.arn
            ]
        }

    async def list_subscriptions(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("list_subscriptions", params, [], ["NextToken"])
        return {"Subscriptions": [_listed(s, self.sqs.account) for s in self.subscriptions.values()]}

    def _subscription(self, operation: str, arn: Any) -> Subscription:
        subscription = self.subscriptions.get(str(arn))
        if subscription is None:
            raise client_error(operation, "NotFound", "Subscription does not exist")
        return subscription

    # -- publishing

    async def publish(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "publish"
        check_params(
            operation, params, ["Message"],
            ["TopicArn", "TargetArn", "PhoneNumber", "Subject", "MessageStructure", "MessageAttributes",
             "MessageDeduplicationId", "MessageGroupId"],
        )  # fmt: skip
        topic = self.topic(operation, params.get("TopicArn") or params.get("TargetArn") or "")
        message = params["Message"]
        attributes = validate_attributes(
            operation, params.get("MessageAttributes"), "InvalidParameterValue",
            allow=("String", "Number", "Binary"), limit=10,
        )  # fmt: skip
        if not isinstance(message, str) or message == "":
            raise client_error(operation, "InvalidParameter", "Invalid parameter: Empty message")
        if message_size(message, attributes) > MAX_MESSAGE_BYTES:
            raise client_error(operation, "InvalidParameter", "Invalid parameter: Message too long")
        for name in ("String.Array",):
            for attribute_name, value in attributes.items():
                if value["DataType"] == name and not isinstance(_json(value["StringValue"]), list):
                    raise client_error(
                        operation, "InvalidParameterValue", f"The message attribute '{attribute_name}' "
                        "with type 'String.Array' must be a JSON array",
                    )  # fmt: skip
        structure = params.get("MessageStructure")
        sqs_message = message
        if structure == "json":
            document = _json(message)
            if not isinstance(document, dict) or "default" not in document:
                raise client_error(
                    operation,
                    "InvalidParameter",
                    "Invalid parameter: Message Structure - No default entry in JSON message body",
                )
            sqs_message = str(document.get("sqs", document["default"]))
        group_id, deduplication_id = params.get("MessageGroupId"), params.get("MessageDeduplicationId")
        now = self._clock().time()
        published = Published(
            str(uuid.uuid4()), topic.arn, sqs_message, attributes, now, params.get("Subject")
        )
        if topic.fifo:
            if not group_id:
                raise client_error(
                    operation,
                    "InvalidParameter",
                    "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
                )
            if not deduplication_id:
                if topic.attributes.get("ContentBasedDeduplication") != "true":
                    raise client_error(
                        operation, "InvalidParameter", "Invalid parameter: The topic should either have "
                        "ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
                    )  # fmt: skip
                deduplication_id = hashlib.sha256(message.encode()).hexdigest()
            for key, (_, until) in list(topic.deduplication.items()):
                if until <= now:
                    del topic.deduplication[key]
            seen = topic.deduplication.get(str(deduplication_id))
            if seen is not None:
                return {"MessageId": seen[0], "SequenceNumber": next_sequence_number()}
            topic.deduplication[str(deduplication_id)] = (published.message_id, now + DEDUPLICATION_WINDOW)
            published.group_id, published.deduplication_id = str(group_id), str(deduplication_id)
            published.sequence_number = next_sequence_number()
        elif group_id is not None or deduplication_id is not None:
            raise client_error(
                operation, "InvalidParameter", "Invalid parameter: The request includes MessageGroupId or "
                "MessageDeduplicationId parameter that is not valid for this topic type",
            )  # fmt: skip
        topic.published.append(published)
        self.fan_out(topic, published)
        response = {"MessageId": published.message_id}
        if published.sequence_number is not None:
            response["SequenceNumber"] = published.sequence_number
        return response

    def fan_out(self, topic: Topic, published: Published) -> None:
        """Deliver a published message to every SQS subscription whose filter policy lets it through."""
        values = attribute_values(published.attributes)
        for subscription in list(self.subscriptions.values()):
            if subscription.topic_arn != topic.arn or subscription.protocol != "sqs":
                continue
            if subscription.attributes.get("FilterPolicyScope") == "MessageBody":
                if not body_matches(subscription.policy, published.message):
                    continue
            elif not matches(subscription.policy, values):
                continue
            queue = self.sqs.find(subscription.endpoint)
            if queue is None:
                continue
            raw = subscription.attributes.get("RawMessageDelivery", "false").lower() == "true"
            body = (
                published.message
                if raw
                else render(notification(published, subscription.arn, self.sqs.region))
            )
            self.sqs.enqueue(
                "publish",
                queue,
                body,
                published.attributes if raw else None,
                group_id=published.group_id,
                deduplication_id=published.deduplication_id,
            )


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _listed(subscription: Subscription, owner: str) -> dict[str, str]:
    return {
        "SubscriptionArn": subscription.arn,
        "Owner": owner,
        "Protocol": subscription.protocol,
        "Endpoint": subscription.endpoint,
        "TopicArn": subscription.topic_arn,
    }
