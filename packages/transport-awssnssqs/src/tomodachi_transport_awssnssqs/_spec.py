"""The ``aws_sns_sqs`` decorator and the handler spec it records."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from tomodachi_middleware import register_handler

from ._envelopes import DEFAULT
from ._errors import AWSSNSSQSException

if TYPE_CHECKING:
    from ._transport import AWSSNSSQSTransport

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, eq=False)
class SNSSQSHandlerSpec:
    """One SNS+SQS handler: the function, its method name and the decorator's arguments.

    ``DEFAULT`` marks the arguments that were not given (their queue attributes are left as they are).
    """

    transport: AWSSNSSQSTransport
    func: Callable[..., Any]
    name: str
    topic: str | None = None
    callback_kwargs: tuple[str, ...] | None = None
    competing: bool = True
    queue_name: str | None = None
    message_envelope: Any = DEFAULT
    message_protocol: Any = DEFAULT
    filter_policy: Any = DEFAULT
    visibility_timeout: Any = DEFAULT
    dead_letter_queue_name: Any = DEFAULT
    max_receive_count: Any = DEFAULT
    fifo: bool = False
    max_number_of_consumed_messages: int = 10
    delete_message_on_error: bool = False
    envelope_kwargs: Mapping[str, Any] = field(default_factory=dict)

    @property
    def qualname(self) -> str:
        """The handler's qualified name (``Service.method``)."""
        return str(getattr(self.func, "__qualname__", self.name))

    @property
    def concurrency(self) -> int:
        """How many messages of this handler may run at once (1..10 as in 0.29; out of range is 10)."""
        value = self.max_number_of_consumed_messages
        return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10 else 10


def aws_sns_sqs(
    topic: str | None = None,
    callback_kwargs: Iterable[str] | None = None,
    competing: bool | None = None,
    queue_name: str | None = None,
    *,
    message_envelope: Any = DEFAULT,
    message_protocol: Any = DEFAULT,
    filter_policy: Any = DEFAULT,
    visibility_timeout: Any = DEFAULT,
    dead_letter_queue_name: Any = DEFAULT,
    max_receive_count: Any = DEFAULT,
    fifo: bool = False,
    max_number_of_consumed_messages: int | None = 10,
    delete_message_on_error: bool = False,
    **kwargs: Any,
) -> Callable[[F], F]:
    """Consume an SQS queue subscribed to an SNS topic with the decorated service method.

    Args:
        topic: The SNS topic (without prefix); ``*`` and ``#`` make a wildcard subscription; ``None``
            consumes the queue only.
        callback_kwargs: Limits the envelope keys offered to the handler to these names.
        competing: Every instance of the service shares one queue (the default); ``False`` gives each
            instance and handler a queue of its own.
        queue_name: The queue (prefixed with ``aws_sns_sqs.queue_name_prefix``) or its ARN.
        message_envelope: The envelope; default the service's ``message_envelope``; ``None``: none.
        message_protocol: Legacy name of ``message_envelope``.
        filter_policy: SNS subscription filter policy (dict or JSON); ``None`` removes it.
        visibility_timeout: The queue's visibility timeout, 0..43200 seconds.
        dead_letter_queue_name: Dead-letter queue (name or ARN), with ``max_receive_count``; ``None``
            removes the redrive policy.
        max_receive_count: Receives before SQS moves a message to the dead-letter queue.
        fifo: FIFO topic and queue (``.fifo`` names).
        max_number_of_consumed_messages: Messages handled at once, 1..10.
        delete_message_on_error: Delete a message whose handler raised (tomodachi 0.29's behaviour),
            except for ``AWSSNSSQSInternalServiceError``; by default it comes back after a backoff.
        **kwargs: Passed to the envelope's ``parse_message`` (e.g. ``proto_class``).

    Returns:
        A decorator that records the handler and returns the function unchanged.

    Raises:
        AWSSNSSQSException: ``queue_name`` given with ``competing=False``.
    """
    if queue_name and competing is False:
        raise AWSSNSSQSException("AWS SQS queue with predefined queue name must be competing")

    def decorate(func: F) -> F:
        from ._transport import AWS_SNS_SQS_TRANSPORT

        spec = SNSSQSHandlerSpec(
            transport=AWS_SNS_SQS_TRANSPORT,
            func=func,
            name=str(getattr(func, "__name__", repr(func))),
            topic=topic,
            callback_kwargs=tuple(callback_kwargs) if callback_kwargs is not None else None,
            competing=competing is not False,
            queue_name=queue_name,
            message_envelope=message_envelope,
            message_protocol=message_protocol,
            filter_policy=filter_policy,
            visibility_timeout=visibility_timeout,
            dead_letter_queue_name=dead_letter_queue_name,
            max_receive_count=max_receive_count,
            fifo=bool(fifo),
            max_number_of_consumed_messages=max_number_of_consumed_messages or 10,
            delete_message_on_error=delete_message_on_error,
            envelope_kwargs=dict(kwargs),
        )
        register_handler(func, spec)
        return func

    return decorate


awssnssqs = aws_sns_sqs
