import sys

import pytest

import tomodachi_transport_amqp
import tomodachi_transport_awssnssqs
import tomodachi_transport_http
from tomodachi.options import HealthOptions, Options, OptionsInterface, WatcherOptions
from tomodachi_middleware import OptionsSection

# behaviour.md 2.1, in tomodachi 0.29's order.
DEFAULTS = [
    ("http.port", 9700),
    ("http.host", "0.0.0.0"),
    ("http.reuse_port", sys.platform.startswith("linux")),
    ("http.content_type", "text/plain; charset=utf-8"),
    ("http.charset", "utf-8"),
    ("http.client_max_size", 104857600),
    ("http.termination_grace_period_seconds", 30),
    ("http.access_log", True),
    ("http.real_ip_from", []),
    ("http.real_ip_header", "X-Forwarded-For"),
    ("http.keepalive_timeout", 0),
    ("http.keepalive_expiry", 0),
    ("http.max_keepalive_time", None),
    ("http.max_keepalive_requests", None),
    ("http.server_header", "tomodachi"),
    ("aws_sns_sqs.region_name", None),
    ("aws_sns_sqs.aws_access_key_id", None),
    ("aws_sns_sqs.aws_secret_access_key", None),
    ("aws_sns_sqs.topic_prefix", ""),
    ("aws_sns_sqs.queue_name_prefix", ""),
    ("aws_sns_sqs.sns_kms_master_key_id", None),
    ("aws_sns_sqs.sqs_kms_master_key_id", None),
    ("aws_sns_sqs.sqs_kms_data_key_reuse_period", None),
    ("aws_sns_sqs.queue_policy", None),
    ("aws_sns_sqs.wildcard_queue_policy", None),
    ("aws_endpoint_urls.sns", None),
    ("aws_endpoint_urls.sqs", None),
    ("aws_endpoint_urls.sts", None),
    ("amqp.host", "127.0.0.1"),
    ("amqp.port", 5672),
    ("amqp.login", "guest"),
    ("amqp.password", "guest"),
    ("amqp.exchange_name", "amq.topic"),
    ("amqp.routing_key_prefix", ""),
    ("amqp.queue_name_prefix", ""),
    ("amqp.virtualhost", "/"),
    ("amqp.ssl", False),
    ("amqp.heartbeat", 60),
    ("amqp.queue_ttl", 86400),
    ("amqp.qos.queue_prefetch_count", 100),
    ("amqp.qos.global_prefetch_count", 400),
    ("watcher.ignored_dirs", []),
    ("watcher.watched_file_endings", []),
]
# Not in tomodachi 0.29: the health endpoints, after 0.29's keys.
ADDED: list[tuple[str, object]] = [
    ("health.enabled", False),
    ("health.port", None),
    ("health.host", None),
    ("health.liveness_path", "/health/live"),
    ("health.readiness_path", "/health/ready"),
]


@pytest.mark.parametrize(("key", "default"), DEFAULTS + ADDED)
def test_every_key_has_tomodachis_default(key: str, default: object) -> None:
    assert Options()[key] == default


def test_the_flat_map_has_exactly_tomodachis_keys_in_its_order_then_the_added_ones() -> None:
    assert list(Options().asdict()) == [key for key, _ in DEFAULTS + ADDED]


def test_the_sections_are_named_as_in_tomodachi_then_health() -> None:
    assert list(Options().keys()) == ["http", "aws_sns_sqs", "aws_endpoint_urls", "amqp", "watcher", "health"]


@pytest.mark.parametrize(
    ("key", "named", "library"),
    [
        ("http", Options.HTTP, tomodachi_transport_http.HTTPOptions),
        ("aws_sns_sqs", Options.AWSSNSSQS, tomodachi_transport_awssnssqs.AWSSNSSQSOptions),
        ("aws_endpoint_urls", Options.AWSEndpointURLs, tomodachi_transport_awssnssqs.AWSEndpointURLsOptions),
        ("amqp", Options.AMQP, tomodachi_transport_amqp.AMQPOptions),
        ("amqp.qos", Options.AMQP.QOS, tomodachi_transport_amqp.AMQPQoSOptions),
        ("watcher", Options.Watcher, WatcherOptions),
        ("health", Options.Health, HealthOptions),
    ],
)
def test_each_section_is_the_named_class_of_its_library(key: str, named: type, library: type) -> None:
    section = Options()[key]
    assert type(section) is named
    assert isinstance(section, library)
    assert isinstance(section, OptionsInterface)


def test_options_interface_is_the_shared_section_base() -> None:
    assert OptionsInterface is OptionsSection
    assert isinstance(Options(), OptionsInterface)


def test_defaults_are_not_shared_between_instances() -> None:
    first = Options()
    first.watcher.ignored_dirs.append("node_modules")
    first.http.real_ip_from.append("10.0.0.1")  # type: ignore[union-attr]
    first.amqp.qos.queue_prefetch_count = 1
    second = Options()
    assert second.watcher.ignored_dirs == []
    assert second.http.real_ip_from == []
    assert second.amqp.qos.queue_prefetch_count == 100
