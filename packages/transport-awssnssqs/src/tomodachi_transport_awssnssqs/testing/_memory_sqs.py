"""The in-memory SQS: queues (create, look up, attributes, tags) over sending and receiving."""

from __future__ import annotations

from typing import Any

from ._memory_common import (
    NON_EXISTENT_QUEUE,
    check_params,
    client_error,
)
from ._memory_queue import (
    FIFO_DEFAULTS,
    QUEUE_DEFAULTS,
    Queue,
)
from ._memory_sqs_attributes import check_queue_attributes
from ._memory_sqs_core import _QUEUE_NAME
from ._memory_sqs_core import next_sequence_number as next_sequence_number
from ._memory_sqs_receive import SQSReceive


class SQS(SQSReceive):
    """The queues of one account in one region."""

    # -- queues

    async def create_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "create_queue"
        check_params(operation, params, ["QueueName"], ["Attributes", "tags"])
        name = str(params["QueueName"])
        attributes = {str(k): str(v) for k, v in (params.get("Attributes") or {}).items()}
        fifo = attributes.get("FifoQueue", "false").lower() == "true"
        base = name[:-5] if name.endswith(".fifo") and fifo else name
        if not _QUEUE_NAME.match(base) or (fifo and not name.endswith(".fifo")) or len(name) > 80:
            raise client_error(
                operation,
                "InvalidParameterValue",
                "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
            )
        existing = self.queues.get(name)
        if existing is not None:
            for key, value in attributes.items():
                if existing.attributes.get(key, QUEUE_DEFAULTS.get(key, "")) != value:
                    reason = (
                        f"A queue already exists with the same name and a different value for attribute {key}"
                    )
                    raise client_error(operation, "QueueAlreadyExists", reason)
            return {"QueueUrl": existing.url}
        check_queue_attributes(self, operation, attributes, fifo=fifo, creating=True)
        values = {**QUEUE_DEFAULTS, **(FIFO_DEFAULTS if fifo else {}), **attributes}
        if not fifo:
            values.pop("FifoQueue", None)
        now = self.now()
        queue = Queue(
            name=name,
            url=f"https://sqs.{self.region}.amazonaws.com/{self.account}/{name}",
            arn=f"arn:aws:sqs:{self.region}:{self.account}:{name}",
            attributes={key: value for key, value in values.items() if value != ""},
            created=now,
            tags=dict(params.get("tags") or {}),
        )
        self.queues[name] = queue
        return {"QueueUrl": queue.url}

    async def get_queue_url(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("get_queue_url", params, ["QueueName"], ["QueueOwnerAWSAccountId"])
        owner = params.get("QueueOwnerAWSAccountId")
        queue = self.queues.get(str(params["QueueName"]))
        if queue is None or (owner is not None and str(owner) != self.account):
            raise client_error("get_queue_url", NON_EXISTENT_QUEUE, "The specified queue does not exist.")
        return {"QueueUrl": queue.url}

    async def list_queues(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("list_queues", params, [], ["QueueNamePrefix", "NextToken", "MaxResults"])
        prefix = str(params.get("QueueNamePrefix") or "")
        urls = [q.url for name, q in sorted(self.queues.items()) if name.startswith(prefix)]
        return {"QueueUrls": urls} if urls else {}

    async def delete_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("delete_queue", params, ["QueueUrl"])
        queue = self.queue("delete_queue", str(params["QueueUrl"]))
        del self.queues[queue.name]
        queue.deleted = True
        queue.notify()
        return {}

    async def purge_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("purge_queue", params, ["QueueUrl"])
        queue = self.queue("purge_queue", str(params["QueueUrl"]))
        queue.messages.clear()
        return {}

    async def get_queue_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "get_queue_attributes"
        check_params(operation, params, ["QueueUrl"], ["AttributeNames"])
        queue = self.queue(operation, str(params["QueueUrl"]))
        now = self.now()
        queue.expire(now)
        values = {
            **queue.attributes,
            **queue.counts(now),
            "QueueArn": queue.arn,
            "CreatedTimestamp": str(int(queue.created)),
            "LastModifiedTimestamp": str(int(queue.created)),
        }
        names = list(params.get("AttributeNames") or [])
        if "All" in names:
            return {"Attributes": values}
        known = set(values) | set(QUEUE_DEFAULTS) | set(FIFO_DEFAULTS)
        known |= {"Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"}
        known |= {"KmsDataKeyReusePeriodSeconds"}
        for name in names:
            if name not in known:
                raise client_error(operation, "InvalidAttributeName", f"Unknown Attribute {name}.")
        picked = {name: values[name] for name in names if name in values}
        return {"Attributes": picked} if picked else {}

    async def set_queue_attributes(self, params: dict[str, Any]) -> dict[str, Any]:
        operation = "set_queue_attributes"
        check_params(operation, params, ["QueueUrl", "Attributes"])
        queue = self.queue(operation, str(params["QueueUrl"]))
        attributes = {str(k): str(v) for k, v in (params.get("Attributes") or {}).items()}
        check_queue_attributes(self, operation, attributes, fifo=queue.fifo, creating=False)
        for key, value in attributes.items():
            if value == "" and key in ("Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"):
                queue.attributes.pop(key, None)
            else:
                queue.attributes[key] = value
        return {}

    async def tag_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("tag_queue", params, ["QueueUrl", "Tags"])
        self.queue("tag_queue", str(params["QueueUrl"])).tags.update(params["Tags"])
        return {}

    async def untag_queue(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("untag_queue", params, ["QueueUrl", "TagKeys"])
        tags = self.queue("untag_queue", str(params["QueueUrl"])).tags
        for key in params["TagKeys"]:
            tags.pop(key, None)
        return {}

    async def list_queue_tags(self, params: dict[str, Any]) -> dict[str, Any]:
        check_params("list_queue_tags", params, ["QueueUrl"])
        tags = self.queue("list_queue_tags", str(params["QueueUrl"])).tags
        return {"Tags": dict(tags)} if tags else {}
