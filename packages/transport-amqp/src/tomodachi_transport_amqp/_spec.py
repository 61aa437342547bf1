"""The ``amqp`` decorator: it records a handler spec on the function and returns it unchanged."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from tomodachi_middleware import register_handler

from ._errors import AmqpConfigurationError
from ._naming import decode_routing_key, encode_routing_key

if TYPE_CHECKING:
    from ._runtime import AmqpRuntime

F = TypeVar("F", bound=Callable[..., Any])


class _Default:
    """A left-out argument, told apart from an explicit ``None``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<default {self.name}>"


MESSAGE_ENVELOPE_DEFAULT: Any = _Default("message_envelope")
"""The envelope argument left out: the service's ``message_envelope`` is used."""

MESSAGE_ROUTING_KEY_PREFIX: Any = _Default("routing_key_prefix")
"""The publish ``routing_key_prefix`` left out: ``options.amqp.routing_key_prefix`` is used."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a message whose handler raised comes back, and when it goes to the dead-letter queue.

    The ``n``-th failed attempt waits ``min(delay * factor ** (n - 1), max_delay)`` seconds in a
    retry queue before the message is handled again; after ``attempts`` failed attempts it goes to
    the dead-letter queue ``<queue>.dlq``, with the error in its headers.

    Args:
        attempts: Attempts in all, the first one included (1: straight to the dead-letter queue).
        delay: Seconds before the second attempt.
        factor: What each further delay is multiplied by.
        max_delay: The longest delay, in seconds.

    Raises:
        AmqpConfigurationError: a value is out of range.
    """

    attempts: int = 5
    delay: float = 1.0
    factor: float = 2.0
    max_delay: float = 300.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.delay <= 0 or self.factor < 1 or self.max_delay < self.delay:
            raise AmqpConfigurationError(f"unusable retry policy: {self!r}")

    def delay_ms(self, failed_attempts: int) -> int:
        """Return the wait after ``failed_attempts`` failed attempts, in milliseconds."""
        seconds = min(self.delay * self.factor ** (failed_attempts - 1), self.max_delay)
        return max(1, round(seconds * 1000))

    @property
    def delays_ms(self) -> tuple[int, ...]:
        """Every distinct wait, in milliseconds, in order."""
        return tuple(dict.fromkeys(self.delay_ms(n) for n in range(1, self.attempts)))


class AmqpTransport:
    """The AMQP transport as the framework sees it: a name and a runtime per service.

    Args:
        grace_period: How long stopping lets handlers in flight finish, in seconds.
    """

    def __init__(self, grace_period: float = 30.0) -> None:
        self.grace_period = grace_period

    @property
    def name(self) -> str:
        return "amqp"

    def create_runtime(self, service: Any, specs: Sequence[Any]) -> AmqpRuntime:
        """Create the runtime that consumes for ``service``'s handlers.

        Args:
            service: The service instance; its ``options.amqp``, ``message_envelope`` and
                ``message_middleware`` are read when the runtime starts.
            specs: The ``AmqpHandlerSpec`` of its handlers, in definition order.

        Returns:
            The runtime, not started yet.
        """
        from ._runtime import AmqpRuntime

        return AmqpRuntime(service, list(specs), grace_period=self.grace_period)

    def __repr__(self) -> str:
        return "<AmqpTransport 'amqp'>"

    # tomodachi 0.29's class-level helpers, which some services call directly.
    encode_routing_key = staticmethod(encode_routing_key)
    decode_routing_key = staticmethod(decode_routing_key)

    @staticmethod
    async def publish(service: Any, data: Any, *args: Any, **kwargs: Any) -> Any:
        """``amqp_publish``, as ``AmqpTransport.publish`` in tomodachi 0.29."""
        from ._publish import amqp_publish

        return await amqp_publish(service, data, *args, **kwargs)


TRANSPORT = AmqpTransport()


@dataclass(frozen=True, slots=True, eq=False)
class AmqpHandlerSpec:
    """What the decorator recorded: the function and the decorator's arguments."""

    func: Callable[..., Any]
    routing_key: str
    exchange_name: str = ""
    competing: bool = True
    queue_name: str | None = None
    callback_kwargs: tuple[str, ...] | None = None
    message_envelope: Any = MESSAGE_ENVELOPE_DEFAULT
    envelope_kwargs: dict[str, Any] = field(default_factory=dict)
    retry_policy: RetryPolicy = field(default_factory=RetryPolicy)

    @property
    def transport(self) -> AmqpTransport:
        return TRANSPORT

    @property
    def name(self) -> str:
        return str(getattr(self.func, "__name__", "handler"))


def amqp(
    routing_key: str,
    callback_kwargs: Collection[str] | None = None,
    exchange_name: str = "",
    competing: bool | None = True,
    queue_name: str | None = None,
    *,
    message_envelope: Any = MESSAGE_ENVELOPE_DEFAULT,
    message_protocol: Any = MESSAGE_ENVELOPE_DEFAULT,
    retry_policy: RetryPolicy | None = None,
    **kwargs: Any,
) -> Callable[[F], F]:
    """Handle the messages published on a topic exchange with a matching routing key.

    Args:
        routing_key: The routing key or pattern (``*`` one word, ``#`` any words).
        callback_kwargs: Names to offer the handler, besides its own parameters.
        exchange_name: The topic exchange; ``""`` for ``options.amqp.exchange_name``.
        competing: Whether every instance of the service shares one queue (``None`` counts as
            ``True``, as the README says); ``False`` gives each instance and handler its own.
        queue_name: An explicit queue name (``options.amqp.queue_name_prefix`` goes in front).
        message_envelope: The envelope to parse messages with; ``None`` for the raw body; left out
            for the service's ``message_envelope``.
        message_protocol: The old name of ``message_envelope``.
        retry_policy: How failed messages come back; ``RetryPolicy()`` when left out.
        **kwargs: Passed to the envelope's ``parse_message`` (``proto_class=...``).

    Returns:
        The decorator, which returns the function unchanged.

    Raises:
        AmqpConfigurationError: ``routing_key`` is not a string.
    """
    if not isinstance(routing_key, str):
        raise AmqpConfigurationError(f"routing_key must be a str, not {type(routing_key).__name__}")
    if message_envelope is MESSAGE_ENVELOPE_DEFAULT and message_protocol is not MESSAGE_ENVELOPE_DEFAULT:
        message_envelope = message_protocol

    def mark(func: F) -> F:
        spec = AmqpHandlerSpec(
            func=func,
            routing_key=routing_key,
            exchange_name=exchange_name or "",
            competing=competing is not False,
            queue_name=queue_name,
            callback_kwargs=tuple(callback_kwargs) if callback_kwargs else None,
            message_envelope=message_envelope,
            envelope_kwargs=dict(kwargs),
            retry_policy=retry_policy or RetryPolicy(),
        )
        register_handler(func, spec)
        return func

    return mark
