import re
from typing import Any

import pytest

from tomodachi.options import Options
from tomodachi_transport_http import HTTPOptions


def test_the_readme_example_builds_sections_from_their_classes() -> None:
    options = Options(
        http=Options.HTTP(
            port=80,
            content_type="application/json; charset=utf-8",
            real_ip_from=["127.0.0.1/32", "10.0.0.0/8"],
            keepalive_timeout=5,
            max_keepalive_requests=20,
        ),
        watcher=Options.Watcher(ignored_dirs=["node_modules"]),
    )
    assert options.http.port == 80
    assert options.http.keepalive_timeout == 5
    assert options.http.server_header == "tomodachi"
    assert options.watcher.ignored_dirs == ["node_modules"]


def test_a_given_section_object_is_used_as_is() -> None:
    http = Options.HTTP(port=80)
    assert Options(http=http).http is http


def test_a_section_object_of_the_library_class_is_accepted() -> None:
    http = HTTPOptions(port=81)
    assert Options(http=http).http is http


def test_each_section_takes_a_mapping() -> None:
    options = Options(
        http={"port": 80},
        aws_sns_sqs={"region_name": "eu-west-1"},
        aws_endpoint_urls={"sqs": "http://localhost:4566"},
        amqp={"port": 5673, "qos": {"queue_prefetch_count": 7}},
        watcher={"ignored_dirs": ["node_modules"]},
    )
    assert options.http.port == 80
    assert options.http.host == "0.0.0.0"
    assert options.aws_sns_sqs.region_name == "eu-west-1"
    assert options.aws_endpoint_urls.sqs == "http://localhost:4566"
    assert options.amqp.port == 5673
    assert options.amqp.qos.queue_prefetch_count == 7
    assert options.amqp.qos.global_prefetch_count == 400
    assert type(options.amqp.qos) is Options.AMQP.QOS
    assert options.watcher.ignored_dirs == ["node_modules"]


def test_the_constructor_takes_flat_dotted_keys() -> None:
    dotted: dict[str, Any] = {"http.port": 80, "amqp.qos.queue_prefetch_count": 7}
    options = Options(**dotted)
    assert options.http.port == 80
    assert options.amqp.qos.queue_prefetch_count == 7


def test_dotted_keys_apply_after_the_sections() -> None:
    dotted: dict[str, Any] = {"http.host": "127.0.0.1", "http.port": 81}
    options = Options(http={"port": 80}, **dotted)
    assert (options.http.port, options.http.host) == (81, "127.0.0.1")


def test_a_section_given_as_none_has_its_defaults() -> None:
    assert Options(http=None).http.port == 9700


def test_a_section_refuses_other_values() -> None:
    with pytest.raises(TypeError, match=re.escape("'http' takes Options.HTTP options or a mapping, not int")):
        Options(http=80)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=re.escape("'amqp' takes Options.AMQP options or a mapping, not Options.HTTP")
    ):
        Options(amqp=Options.HTTP())  # type: ignore[arg-type]


def test_values_read_by_attribute_item_nested_item_and_get() -> None:
    options = Options(http={"port": 80})
    assert options.http.port == 80
    assert options["http.port"] == 80
    assert options["http"]["port"] == 80
    assert options.get("http.port") == 80
    assert options["amqp"]["qos"]["queue_prefetch_count"] == 100
    assert options.get("amqp.qos").queue_prefetch_count == 100


def test_get_with_a_default_covers_missing_keys_only() -> None:
    options = Options()
    assert options.get("http.nope", 1) == 1
    assert options.get("nope", 2) == 2
    assert options.get("nope.port", 3) == 3
    assert options.get("http.max_keepalive_time", 4) is None


def test_values_set_by_attribute_and_dotted_item() -> None:
    options = Options()
    options.http.port = 80
    assert options["http.port"] == 80
    options["http.port"] = 81
    assert options.http.port == 81
    options["amqp.qos.global_prefetch_count"] = 5
    assert options.amqp.qos.global_prefetch_count == 5
    options["http"]["port"] = 82
    assert options.http.port == 82


def test_setting_a_section_to_a_mapping_replaces_it() -> None:
    options = Options(http={"server_header": "custom"})
    options["http"] = {"port": 80}
    assert options.http.port == 80
    assert options.http.server_header == "tomodachi"
    assert type(options.http) is Options.HTTP


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda o: o["http.nope"], "'HTTP' object has no attribute 'nope'"),
        (lambda o: o["nope"], "'Options' object has no attribute 'nope'"),
        (lambda o: o["nope.port"], "'Options' object has no attribute 'nope'"),
        (lambda o: o.get("amqp.qos.nope"), "'QOS' object has no attribute 'nope'"),
        (lambda o: o.__setitem__("http.nope", 1), "'HTTP' object has no attribute 'nope'"),
        (lambda o: setattr(o.http, "nope", 1), "'HTTP' object has no attribute 'nope'"),
        (lambda o: setattr(o, "nope", 1), "'Options' object has no attribute 'nope'"),
    ],
)
def test_unknown_keys_raise_attribute_error(action: object, message: str) -> None:
    with pytest.raises(AttributeError) as info:
        action(Options())  # type: ignore[operator]
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"nope": 1}, "'Options' object has no attribute 'nope'"),
        ({"http.nope": 1}, "'HTTP' object has no attribute 'nope'"),
        ({"http": {"port": 1, "nope": 2}}, "'HTTP' object has no attribute 'nope'"),
        ({"amqp": {"qos": {"queue_prefetch_count": 1, "x": 2}}}, "'QOS' object has no attribute 'x'"),
        ({"foo": {"a": 1}}, "'Options' object has no attribute 'foo'"),
        (
            {"aws": {"region_name": "eu-west-1", "nope": 1, "bad": 2}},
            "Invalid attribute(s) in dict: nope, bad",
        ),
        ({"aws": {"nope": 1}}, "'Options' object has no attribute 'aws'"),
    ],
)
def test_the_constructor_refuses_unknown_keys(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(AttributeError) as info:
        Options(**kwargs)
    assert str(info.value) == message


def test_keys_names_the_sections_and_items_the_flat_values() -> None:
    options = Options()
    assert list(options.keys()) == ["http", "aws_sns_sqs", "aws_endpoint_urls", "amqp", "watcher", "health"]
    assert list(options.http.keys())[:3] == ["port", "host", "reuse_port"]
    assert dict(options.items()) == options.asdict()
    assert ("amqp.qos.queue_prefetch_count", 100) in options.items()


def test_asdict_is_flat_and_takes_a_prefix() -> None:
    options = Options(http={"port": 80})
    flat = options.asdict()
    assert flat["http.port"] == 80
    assert flat["amqp.qos.global_prefetch_count"] == 400
    assert all(not isinstance(value, Options.HTTP) for value in flat.values())
    http_part = {key: value for key, value in flat.items() if key.startswith("http.")}
    assert options.http.asdict(prefix="http.") == http_part
    assert options.asdict(prefix="options.")["options.http.port"] == 80


def test_membership_follows_dotted_keys() -> None:
    options = Options()
    assert "http.port" in options
    assert "amqp.qos" in options
    assert "http.nope" not in options


def test_repr_is_tomodachis_tree() -> None:
    text = repr(Options(http={"port": 80}, amqp={"qos": {"queue_prefetch_count": 7}}))
    assert text.startswith('∴ http <class: "Options.HTTP" -- prefix: "http">:\n  | port = 80\n')
    assert '\n  | host = "0.0.0.0"\n' in text
    assert '\n\n∴ aws_sns_sqs <class: "Options.AWSSNSSQS" -- prefix: "aws_sns_sqs">:\n' in text
    endpoints = '\n\n∴ aws_endpoint_urls <class: "Options.AWSEndpointURLs" -- prefix: "aws_endpoint_urls">:\n'
    assert endpoints in text
    assert (
        "  | queue_ttl = 86400\n"
        '  · qos <class: "Options.AMQP.QOS" -- prefix: "amqp.qos">:\n'
        "    | queue_prefetch_count = 7\n"
        "    | global_prefetch_count = 400\n"
        "\n"
        '∴ watcher <class: "Options.Watcher" -- prefix: "watcher">:\n'
        "  | ignored_dirs = []\n"
        "  | watched_file_endings = []\n"
        "\n"
        '∴ health <class: "Options.Health" -- prefix: "health">:\n'
        "  | enabled = False\n"
    ) in text
    assert text.endswith('  | readiness_path = "/health/ready"\n')
    assert "  | real_ip_from = []\n" in text
    assert "  | max_keepalive_time = None\n" in text


def test_repr_of_a_section_is_its_own_tree() -> None:
    assert repr(Options().amqp.qos) == (
        '∴ qos <class: "Options.AMQP.QOS" -- prefix: "amqp.qos">:\n'
        "  | queue_prefetch_count = 100\n"
        "  | global_prefetch_count = 400\n"
    )
