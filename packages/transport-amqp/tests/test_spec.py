import pytest

from tomodachi_middleware import handler_specs
from tomodachi_transport_amqp import (
    MESSAGE_ENVELOPE_DEFAULT,
    AmqpConfigurationError,
    AmqpHandlerSpec,
    AmqpTransport,
    RetryPolicy,
    amqp,
)


async def handler(self: object, data: object) -> None:
    pass


def test_the_decorator_records_a_spec_and_returns_the_function() -> None:
    async def h(self: object) -> None:
        pass

    assert amqp("a.b")(h) is h
    (spec,) = handler_specs(h)
    assert isinstance(spec, AmqpHandlerSpec)
    assert isinstance(spec.transport, AmqpTransport)
    assert spec.transport.name == "amqp"
    assert spec.routing_key == "a.b"
    assert spec.message_envelope is MESSAGE_ENVELOPE_DEFAULT


def test_competing_defaults_to_true_and_none_counts_as_true() -> None:
    async def a(self: object) -> None:
        pass

    async def b(self: object) -> None:
        pass

    async def c(self: object) -> None:
        pass

    amqp("k")(a)
    amqp("k", competing=None)(b)
    amqp("k", competing=False)(c)
    assert [handler_specs(f)[0].competing for f in (a, b, c)] == [True, True, False]  # type: ignore[attr-defined]


def test_extra_keywords_go_to_the_envelope_and_message_protocol_is_the_old_name() -> None:
    async def h(self: object) -> None:
        pass

    amqp("k", message_protocol=None, proto_class=int)(h)
    spec = handler_specs(h)[0]
    assert spec.message_envelope is None  # type: ignore[attr-defined]
    assert spec.envelope_kwargs == {"proto_class": int}  # type: ignore[attr-defined]


def test_a_routing_key_must_be_a_string() -> None:
    with pytest.raises(AmqpConfigurationError):
        amqp(5)  # type: ignore[arg-type]


def test_retry_delays_grow_up_to_the_longest() -> None:
    policy = RetryPolicy(attempts=6, delay=0.5, factor=3, max_delay=10)
    assert [policy.delay_ms(n) for n in range(1, 6)] == [500, 1500, 4500, 10000, 10000]
    assert policy.delays_ms == (500, 1500, 4500, 10000)
    assert RetryPolicy(attempts=1).delays_ms == ()


def test_an_unusable_retry_policy_is_refused() -> None:
    with pytest.raises(AmqpConfigurationError):
        RetryPolicy(attempts=0)


def test_the_transport_class_keeps_the_routing_key_helpers_of_0_29() -> None:
    assert AmqpTransport.encode_routing_key("a/ä") == "a/___c3a4_"
    assert AmqpTransport.decode_routing_key("a/___c3a4_") == "a/ä"
