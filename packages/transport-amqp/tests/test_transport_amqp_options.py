from typing import Any

import pytest

from tomodachi_middleware import OptionsSection
from tomodachi_transport_amqp import AMQPOptions, AMQPQoSOptions

DEFAULTS = [
    ("host", "127.0.0.1"),
    ("port", 5672),
    ("login", "guest"),
    ("password", "guest"),
    ("exchange_name", "amq.topic"),
    ("routing_key_prefix", ""),
    ("queue_name_prefix", ""),
    ("virtualhost", "/"),
    ("ssl", False),
    ("heartbeat", 60),
    ("queue_ttl", 86400),
    ("qos.queue_prefetch_count", 100),
    ("qos.global_prefetch_count", 400),
]


@pytest.mark.parametrize(("key", "default"), DEFAULTS)
def test_every_key_has_its_default(key: str, default: object) -> None:
    assert AMQPOptions()[key] == default


def test_the_flat_keys_are_tomodachis_in_its_order() -> None:
    assert list(AMQPOptions().asdict()) == [key for key, _ in DEFAULTS]
    assert list(AMQPOptions().keys())[-1] == "qos"


def test_the_exchange_is_the_topic_exchange_with_a_dot() -> None:
    assert AMQPOptions().exchange_name == "amq.topic"


def test_qos_is_a_nested_section() -> None:
    options = AMQPOptions()
    assert isinstance(options.qos, AMQPQoSOptions)
    assert isinstance(options.qos, OptionsSection)
    assert options["qos"]["queue_prefetch_count"] == 100
    assert repr(options).endswith(
        '  · qos <class: "AMQPQoSOptions" -- prefix: "amqp.qos">:\n'
        "    | queue_prefetch_count = 100\n"
        "    | global_prefetch_count = 400\n"
    )


def test_qos_takes_a_mapping_a_section_or_dotted_keys() -> None:
    assert AMQPOptions(qos={"queue_prefetch_count": 5}).qos.queue_prefetch_count == 5
    assert AMQPOptions(qos={"queue_prefetch_count": 5}).qos.global_prefetch_count == 400
    qos = AMQPQoSOptions(global_prefetch_count=7)
    assert AMQPOptions(qos=qos).qos is qos
    dotted: dict[str, Any] = {"qos.global_prefetch_count": 8}
    assert AMQPOptions(**dotted).qos.global_prefetch_count == 8


def test_qos_refuses_something_else() -> None:
    with pytest.raises(TypeError, match="'qos' takes AMQPQoSOptions options or a mapping"):
        AMQPOptions(qos=5)  # type: ignore[arg-type]


def test_each_instance_has_its_own_qos() -> None:
    first = AMQPOptions()
    first.qos.queue_prefetch_count = 1
    assert AMQPOptions().qos.queue_prefetch_count == 100


def test_an_unknown_key_is_refused() -> None:
    with pytest.raises(AttributeError, match=r"^'AMQPOptions' object has no attribute 'vhost'$"):
        AMQPOptions(vhost="/")
    with pytest.raises(AttributeError, match=r"^'AMQPQoSOptions' object has no attribute 'prefetch_count'$"):
        AMQPOptions(qos={"prefetch_count": 1})
