"""Publishing to SNS topics and sending to SQS queues, with one reused client.

:class:`Publisher` is the script API: no service class needed. ``publish`` and ``send_message``
are tomodachi 0.29's functions (``service`` first); they use the running service's publisher, or
open one for the call.
"""

from __future__ import annotations

import copy
import datetime
import json
import os
import uuid
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Protocol

from tomodachi_middleware import PUBLISH_INTERCEPTORS, Publication, intercepted

from ._attributes import to_body_metadata, to_botocore
from ._client import Client, ClientSettings, new_client
from ._envelopes import DEFAULT, builder, choose
from ._errors import AWSClientError, AWSSNSSQSException, QueueDoesNotExistError
from ._names import topic_name, validate_topic_name


@dataclass(frozen=True)
class MessageBodyFormatterContext:
    """What a message body formatter is given for one ``send_message``."""

    data: Any
    message_attributes: dict[str, Any]
    queue_name: str
    queue_url: str
    service: Any
    message_envelope: Any
    formatter: Any
    kwargs: dict[str, Any] = field(default_factory=dict)


class MessageBodyFormatterProtocol(Protocol):
    """Turns what is sent to a queue into the SQS message body."""

    async def __call__(self, context: MessageBodyFormatterContext, **kwargs: Any) -> str: ...


class _MessageBodyFormatter:
    """The default body: the envelope's payload in an SNS-notification-like JSON document."""

    _instance: _MessageBodyFormatter | None = None

    def __new__(cls) -> _MessageBodyFormatter:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    async def __call__(self, context: MessageBodyFormatterContext, **kwargs: Any) -> str:
        message = context.data
        if context.message_envelope:
            build = builder(context.message_envelope)
            message = await build(
                context.service, "", message, message_attributes=context.message_attributes, **kwargs
            )
        now = datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return json.dumps(
            {
                "Type": "Message",
                "QueueUrl": context.queue_url,
                "Version": "0",
                "Message": message,
                "Timestamp": now,
                "MessageAttributes": to_body_metadata(context.message_attributes),
            }
        )


MessageBodyFormatter = _MessageBodyFormatter
"""The default message body formatter (one shared instance)."""


class Publisher:
    """Publishes to SNS topics and sends to SQS queues, reusing one client until closed.

    Use it as an async context manager, or call :meth:`close` when done::

        async with Publisher(service=ServiceIdentity("orders", "1"), message_envelope=JsonBase) as p:
            await p.publish("order-created", {"id": 1})

    Args:
        service: Whatever the envelope names as sender: an object with ``name`` and ``uuid``.
        message_envelope: The default envelope (``None``: ``data`` is sent as given, a ``str``).
        settings: Region, credentials and endpoints; or give them as the keywords below.
        client: A ready client (e.g. a fake) instead of one made from the settings.
        topic_prefix: Put in front of topic names.
        queue_name_prefix: Put in front of queue names.
        **settings_kwargs: The fields of :class:`ClientSettings` when ``settings`` is not given.
    """

    def __init__(
        self,
        *,
        service: Any = None,
        message_envelope: Any = None,
        settings: ClientSettings | None = None,
        client: Client | None = None,
        topic_prefix: str | None = "",
        queue_name_prefix: str | None = "",
        **settings_kwargs: Any,
    ) -> None:
        self.service = service
        self.message_envelope = message_envelope
        self.settings = settings if settings is not None else ClientSettings(**settings_kwargs)
        self.client: Client = client if client is not None else new_client(self.settings)
        self.topic_prefix = topic_prefix or ""
        self.queue_name_prefix = queue_name_prefix or ""
        self._topic_arns: dict[str, str] = {}
        self._queue_urls: dict[str, str] = {}
        self._account: str | None = None

    @classmethod
    def for_service(cls, service: Any) -> Publisher:
        """Return a publisher configured from a service's options and envelope."""
        options = getattr(service, "options", None)
        section = getattr(options, "aws_sns_sqs", None)
        return cls(
            service=service,
            message_envelope=choose(DEFAULT, DEFAULT, service),
            settings=ClientSettings.from_options(section, getattr(options, "aws_endpoint_urls", None)),
            topic_prefix=getattr(section, "topic_prefix", ""),
            queue_name_prefix=getattr(section, "queue_name_prefix", ""),
        )

    async def __aenter__(self) -> Publisher:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    def forget(self) -> None:
        """Forget the topic ARNs and queue URLs looked up so far (after queues or topics were deleted)."""
        self._topic_arns.clear()
        self._queue_urls.clear()

    async def close(self) -> None:
        """Close the client's connections."""
        await self.client.close()

    async def topic_arn(
        self, name: str, attributes: Mapping[str, str] | None = None, *, overwrite: bool = False
    ) -> str:
        """Return the ARN of the SNS topic ``name`` (full name), creating the topic when missing.

        Args:
            name: The topic's full SNS name (prefix and ``.fifo`` included).
            attributes: SNS attributes for a new topic (``FifoTopic`` is added for ``.fifo`` names).
            overwrite: Set ``attributes`` on an existing topic too.

        Returns:
            The topic ARN.

        Raises:
            AWSClientError: SNS refused.
        """
        arn = self._topic_arns.get(name)
        if arn is None:
            arn = await self._lookup_topic(name)
        if arn is None:
            wanted = {key: value for key, value in (attributes or {}).items() if value != ""}
            if name.endswith(".fifo"):
                wanted.setdefault("FifoTopic", "true")
                wanted.setdefault("ContentBasedDeduplication", "false")
            params: dict[str, Any] = {"Name": name}
            if wanted:
                params["Attributes"] = wanted
            arn = str((await self.client.call("sns", "create_topic", **params))["TopicArn"])
        elif overwrite and attributes:
            current = (await self.client.call("sns", "get_topic_attributes", TopicArn=arn)).get(
                "Attributes", {}
            )
            for key, value in attributes.items():
                if current.get(key, "") != value:
                    await self.client.call(
                        "sns", "set_topic_attributes", TopicArn=arn, AttributeName=key, AttributeValue=value
                    )
        self._topic_arns[name] = arn
        return arn

    async def _lookup_topic(self, name: str) -> str | None:
        try:
            if self._account is None:
                self._account = str((await self.client.call("sts", "get_caller_identity"))["Account"])
            region = (
                self.settings.region_name
                or os.environ.get("AWS_REGION")
                or os.environ.get("AWS_DEFAULT_REGION")
                or "us-east-1"
            )
            arn = f"arn:aws:sns:{region}:{self._account}:{name}"
            await self.client.call("sns", "get_topic_attributes", TopicArn=arn)
        except AWSClientError:
            return None
        return arn

    async def publish(
        self,
        topic: str,
        data: Any,
        *,
        message_envelope: Any = DEFAULT,
        message_attributes: Mapping[str, Any] | None = None,
        topic_prefix: str | None = DEFAULT,
        topic_attributes: Mapping[str, str] | None = None,
        overwrite_topic_attributes: bool = False,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        **envelope_kwargs: Any,
    ) -> str:
        """Publish ``data`` to an SNS topic, created when missing.

        Args:
            topic: The topic, without prefix.
            data: The data; the envelope's input, or the ``str`` message without an envelope.
            message_envelope: Overrides the publisher's envelope (``None``: no envelope).
            message_attributes: SNS message attributes (see the README for the encodings).
            topic_prefix: Overrides the publisher's topic prefix (``None`` or ``""``: none).
            topic_attributes: SNS attributes of a topic created by this call.
            overwrite_topic_attributes: Also set ``topic_attributes`` on an existing topic.
            group_id: Makes it a FIFO publish (to ``<topic>.fifo``) in this message group.
            deduplication_id: FIFO deduplication id; a new uuid4 when not given.
            **envelope_kwargs: Passed on to the envelope's ``build_message``.

        Returns:
            The SNS message id.

        Raises:
            AWSSNSSQSException: the topic name is invalid, or SNS gave no message id.
            AWSClientError: SNS refused.
            AWSSNSSQSConnectionException: SNS could not be reached.
        """
        prefix = self.topic_prefix if topic_prefix is DEFAULT else (topic_prefix or "")
        fifo = group_id is not None
        validate_topic_name(topic)
        if topic_attributes is not None and not isinstance(topic_attributes, Mapping):
            raise AWSSNSSQSException("topic_attributes must be a dict of SNS topic attributes")
        attributes = copy.deepcopy(dict(message_attributes or {}))
        envelope = self.message_envelope if message_envelope is DEFAULT else message_envelope
        message = data
        if envelope:
            build = builder(envelope)
            message = await build(self.service, topic, data, message_attributes=attributes, **envelope_kwargs)
        arn = await self.topic_arn(
            topic_name(topic, prefix, fifo), topic_attributes, overwrite=overwrite_topic_attributes
        )
        params: dict[str, Any] = {"TopicArn": arn, "Message": message}
        if fifo:
            params["MessageGroupId"] = group_id
            params["MessageDeduplicationId"] = deduplication_id or str(uuid.uuid4())

        async def send() -> str:
            params["MessageAttributes"] = to_botocore(attributes)
            response = await self.client.call("sns", "publish", **params)
            message_id = response.get("MessageId")
            if not message_id:
                raise AWSSNSSQSException(f"SNS gave no message id when publishing to {topic!r}")
            return str(message_id)

        if PUBLISH_INTERCEPTORS:
            publication = Publication("aws_sns_sqs", "sns.publish", topic, attributes, self.service)
            return str(await intercepted(publication, _noting_id(publication, send)))
        return await send()

    async def queue_url(self, queue_name: str) -> str:
        """Return the URL of an existing queue, given its full name, ARN or URL.

        Raises:
            QueueDoesNotExistError: the queue does not exist.
        """
        if queue_name.startswith(("http://", "https://")):
            return queue_name
        url = self._queue_urls.get(queue_name)
        if url is not None:
            return url
        params: dict[str, Any] = {"QueueName": queue_name}
        if queue_name.startswith("arn:aws:sqs:"):
            _, _, _, _, account, name = queue_name.split(":", 5)
            params = {"QueueName": name, "QueueOwnerAWSAccountId": account}
        try:
            url = str((await self.client.call("sqs", "get_queue_url", **params))["QueueUrl"])
        except QueueDoesNotExistError as exc:
            raise QueueDoesNotExistError(
                "Cannot send message to non-existent (AWS.SimpleQueueService.NonExistentQueue) SQS queue",
                code=exc.code,
                operation=exc.operation,
            ) from exc
        self._queue_urls[queue_name] = url
        return url

    async def create_queue(self, queue_name: str, attributes: Mapping[str, str] | None = None) -> str:
        """Create an SQS queue (a no-op when it exists with the same attributes) and return its URL.

        Args:
            queue_name: The full queue name; ``.fifo`` names make FIFO queues.
            attributes: SQS queue attributes.

        Returns:
            The queue URL.

        Raises:
            AWSClientError: SQS refused.
        """
        wanted = dict(attributes or {})
        if queue_name.endswith(".fifo"):
            wanted.setdefault("FifoQueue", "true")
        response = await self.client.call("sqs", "create_queue", QueueName=queue_name, Attributes=wanted)
        url = str(response["QueueUrl"])
        self._queue_urls[queue_name] = url
        return url

    async def send_message(
        self,
        queue_name: str,
        data: Any,
        *,
        message_envelope: Any = DEFAULT,
        message_attributes: Mapping[str, Any] | None = None,
        queue_name_prefix: str | None = DEFAULT,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        delay_seconds: int | None = None,
        message_body_formatter: MessageBodyFormatterProtocol | None = MessageBodyFormatter(),  # noqa: B008
        **envelope_kwargs: Any,
    ) -> str:
        """Send ``data`` straight to an existing SQS queue (never created here).

        Args:
            queue_name: The queue's name (prefixed), ARN or URL.
            data: The data; the envelope's input.
            message_envelope: Overrides the publisher's envelope (``None``: no envelope).
            message_attributes: SQS message attributes.
            queue_name_prefix: Overrides the publisher's queue name prefix (``None`` or ``""``: none).
            group_id: Message group of a FIFO queue (required for ``.fifo`` queues, refused otherwise).
            deduplication_id: FIFO deduplication id; a new uuid4 when not given.
            delay_seconds: SQS delivery delay.
            message_body_formatter: Makes the body; ``None`` sends ``data`` as the raw body, no envelope.
            **envelope_kwargs: Passed on to the formatter and the envelope.

        Returns:
            The SQS message id.

        Raises:
            ValueError: ``group_id`` given for a standard queue, or missing for a FIFO queue.
            QueueDoesNotExistError: the queue does not exist.
            AWSClientError: SQS refused.
            AWSSNSSQSConnectionException: SQS could not be reached.
        """
        prefix = self.queue_name_prefix if queue_name_prefix is DEFAULT else (queue_name_prefix or "")
        is_address = queue_name.startswith(("arn:", "http://", "https://"))
        full_name = queue_name if is_address or not prefix else f"{prefix}{queue_name}"
        if (group_id is not None) != full_name.endswith(".fifo"):
            raise ValueError(
                "group_id must be given for FIFO queues (names ending in .fifo) and only for them"
            )
        url = await self.queue_url(full_name)
        attributes = copy.deepcopy(dict(message_attributes or {}))
        envelope = self.message_envelope if message_envelope is DEFAULT else message_envelope
        if message_body_formatter is None:
            body = data
        else:
            context = MessageBodyFormatterContext(
                data, attributes, full_name.rsplit("/", 1)[-1].rsplit(":", 1)[-1], url, self.service,
                envelope, message_body_formatter, dict(envelope_kwargs),
            )  # fmt: skip
            body = await message_body_formatter(context, **envelope_kwargs)
        params: dict[str, Any] = {"QueueUrl": url, "MessageBody": body}
        if group_id is not None:
            params["MessageGroupId"] = group_id
            params["MessageDeduplicationId"] = deduplication_id or str(uuid.uuid4())
        if delay_seconds is not None:
            params["DelaySeconds"] = delay_seconds

        async def send() -> str:
            params["MessageAttributes"] = to_botocore(attributes)
            return str((await self.client.call("sqs", "send_message", **params))["MessageId"])

        if PUBLISH_INTERCEPTORS:
            publication = Publication(
                "aws_sns_sqs",
                "sqs.send_message",
                queue_name,
                attributes,
                self.service,
                details={"queue_url": url},
            )
            return str(await intercepted(publication, _noting_id(publication, send)))
        return await send()


def _noting_id(publication: Publication, send: Callable[[], Awaitable[str]]) -> Callable[[], Awaitable[str]]:
    """``send``, noting the message id it returns on ``publication`` for the interceptors."""

    async def send_and_note() -> str:
        publication.message_id = await send()
        return publication.message_id

    return send_and_note


# The publisher of each running service, set while its transport runtime runs.
_running: weakref.WeakKeyDictionary[Any, Publisher] = weakref.WeakKeyDictionary()


def use_publisher(service: Any, publisher: Publisher | None) -> None:
    """Make ``publisher`` the one the module functions use for ``service`` (``None`` to forget it)."""
    try:
        if publisher is None:
            _running.pop(service, None)
        else:
            _running[service] = publisher
    except TypeError:  # not weak-referenceable
        pass


async def _with_publisher(service: Any, action: Any) -> str:
    publisher = _running.get(service) if _weakrefable(service) else None
    if publisher is not None:
        return str(await action(publisher))
    async with Publisher.for_service(service) as temporary:
        return str(await action(temporary))


def _weakrefable(value: Any) -> bool:
    try:
        weakref.ref(value)
    except TypeError:
        return False
    return True
