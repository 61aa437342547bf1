import pytest

from tomodachi.options import Options


def test_merged_keeps_what_the_mapping_does_not_mention() -> None:
    options = Options(http=Options.HTTP(server_header="custom"))
    merged = options.merged({"http": {"port": 80}})
    assert merged.http.port == 80
    assert merged.http.server_header == "custom"


def test_merged_returns_a_new_options_and_leaves_the_original() -> None:
    options = Options(watcher={"ignored_dirs": ["a"]})
    merged = options.merged({"http.port": 80, "watcher": {"ignored_dirs": ["b"]}})
    assert type(merged) is Options
    assert merged is not options
    assert options.http.port == 9700
    assert options.watcher.ignored_dirs == ["a"]
    assert merged.watcher.ignored_dirs == ["b"]
    merged.amqp.qos.queue_prefetch_count = 1
    assert options.amqp.qos.queue_prefetch_count == 100


def test_merged_takes_nested_and_dotted_keys_and_legacy_names() -> None:
    merged = Options().merged(
        {
            "amqp": {"qos": {"global_prefetch_count": 10}},
            "amqp.qos.queue_prefetch_count": 5,
            "aws": {"region_name": "eu-west-1", "endpoint_url": "http://y"},
        }
    )
    assert merged.amqp.qos.asdict() == {"queue_prefetch_count": 5, "global_prefetch_count": 10}
    assert merged.aws_sns_sqs.region_name == "eu-west-1"
    assert merged.aws_endpoint_urls.sts == "http://y"


def test_merged_keeps_section_classes() -> None:
    merged = Options().merged({"amqp": {"qos": {"queue_prefetch_count": 5}}})
    assert type(merged.amqp) is Options.AMQP
    assert type(merged.amqp.qos) is Options.AMQP.QOS


def test_merged_refuses_unknown_keys_and_changes_nothing() -> None:
    options = Options()
    with pytest.raises(AttributeError, match="'HTTP' object has no attribute 'nope'"):
        options.merged({"http": {"port": 80, "nope": 1}})
    assert options.http.port == 9700


def test_update_merges_in_place() -> None:
    options = Options(http={"server_header": "custom"})
    options.update({"http": {"port": 80}}, **{"amqp.port": 5673})
    assert (options.http.port, options.http.server_header, options.amqp.port) == (80, "custom", 5673)


def test_a_section_object_in_the_mapping_replaces_the_section() -> None:
    http = Options.HTTP(port=81)
    merged = Options(http={"server_header": "custom"}).merged({"http": http})
    assert merged.http.port == 81
    assert merged.http.server_header == "tomodachi"
