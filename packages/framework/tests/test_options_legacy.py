from typing import Any

import pytest

from tomodachi.options import Options

ENDPOINTS = {"sns", "sqs", "sts"}


def changed(options: Options) -> dict[str, object]:
    defaults = Options().asdict()
    return {key: value for key, value in options.asdict().items() if value != defaults[key]}


def test_the_aws_section_fills_region_all_endpoints_and_both_kms_keys() -> None:
    options = Options(aws={"region_name": "eu-west-1", "endpoint_url": "http://y", "kms_master_key_id": "k"})
    assert changed(options) == {
        "aws_sns_sqs.region_name": "eu-west-1",
        "aws_sns_sqs.sns_kms_master_key_id": "k",
        "aws_sns_sqs.sqs_kms_master_key_id": "k",
        "aws_endpoint_urls.sns": "http://y",
        "aws_endpoint_urls.sqs": "http://y",
        "aws_endpoint_urls.sts": "http://y",
    }


AWS_NAMES = [
    ("region_name", ["aws_sns_sqs.region_name"]),
    ("aws_region_name", ["aws_sns_sqs.region_name"]),
    ("access_key_id", ["aws_sns_sqs.aws_access_key_id"]),
    ("aws_access_key_id", ["aws_sns_sqs.aws_access_key_id"]),
    ("secret_access_key", ["aws_sns_sqs.aws_secret_access_key"]),
    ("aws_secret_access_key", ["aws_sns_sqs.aws_secret_access_key"]),
    ("endpoint_url", [f"aws_endpoint_urls.{name}" for name in ENDPOINTS]),
    ("aws_endpoint_url", [f"aws_endpoint_urls.{name}" for name in ENDPOINTS]),
    *[(f"endpoint_urls.{name}", [f"aws_endpoint_urls.{name}"]) for name in ENDPOINTS],
    *[(f"aws_{name}_endpoint_url", [f"aws_endpoint_urls.{name}"]) for name in ENDPOINTS],
    *[(f"{name}_endpoint_url", [f"aws_endpoint_urls.{name}"]) for name in ENDPOINTS],
    ("topic_prefix", ["aws_sns_sqs.topic_prefix"]),
    ("queue_name_prefix", ["aws_sns_sqs.queue_name_prefix"]),
    ("queue_policy", ["aws_sns_sqs.queue_policy"]),
    ("wildcard_queue_policy", ["aws_sns_sqs.wildcard_queue_policy"]),
    ("kms_master_key_id", ["aws_sns_sqs.sns_kms_master_key_id", "aws_sns_sqs.sqs_kms_master_key_id"]),
    ("aws_kms_master_key_id", ["aws_sns_sqs.sns_kms_master_key_id", "aws_sns_sqs.sqs_kms_master_key_id"]),
    ("sns_kms_master_key_id", ["aws_sns_sqs.sns_kms_master_key_id"]),
    ("aws_sns_kms_master_key_id", ["aws_sns_sqs.sns_kms_master_key_id"]),
    ("sqs_kms_master_key_id", ["aws_sns_sqs.sqs_kms_master_key_id"]),
    ("aws_sqs_kms_master_key_id", ["aws_sns_sqs.sqs_kms_master_key_id"]),
    ("kms_data_key_reuse_period", ["aws_sns_sqs.sqs_kms_data_key_reuse_period"]),
    ("aws_kms_data_key_reuse_period", ["aws_sns_sqs.sqs_kms_data_key_reuse_period"]),
    ("aws_sqs_kms_data_key_reuse_period", ["aws_sns_sqs.sqs_kms_data_key_reuse_period"]),
]


@pytest.mark.parametrize(("name", "keys"), AWS_NAMES)
def test_each_name_of_the_aws_section_sets_its_keys(name: str, keys: list[str]) -> None:
    assert changed(Options(aws={name: "v"})) == dict.fromkeys(keys, "v")


@pytest.mark.parametrize(("name", "keys"), AWS_NAMES)
def test_aws_names_work_as_flat_dotted_keys(name: str, keys: list[str]) -> None:
    dotted: dict[str, Any] = {f"aws.{name}": "v"}
    assert changed(Options(**dotted)) == dict.fromkeys(keys, "v")


def test_nested_aws_endpoint_urls_are_found() -> None:
    assert changed(Options(aws={"endpoint_urls": {"sns": "http://sns"}})) == {
        "aws_endpoint_urls.sns": "http://sns"
    }


def test_aws_names_can_be_set_by_item() -> None:
    options = Options()
    options["aws.endpoint_url"] = "http://y"
    assert options.aws_endpoint_urls.asdict() == dict.fromkeys(ENDPOINTS, "http://y")


@pytest.mark.parametrize("name", ["max_buffer_size", "max_upload_size"])
def test_http_body_size_names_set_client_max_size(name: str) -> None:
    assert Options(http={name: 1024}).http.client_max_size == 1024
    legacy: dict[str, Any] = {name: 2048}
    assert Options.HTTP(**legacy).client_max_size == 2048
    dotted: dict[str, Any] = {f"http.{name}": 4096}
    assert Options(**dotted).http.client_max_size == 4096


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("aws_region_name", ["aws_sns_sqs.region_name"]),
        ("access_key_id", ["aws_sns_sqs.aws_access_key_id"]),
        ("secret_access_key", ["aws_sns_sqs.aws_secret_access_key"]),
        ("kms_master_key_id", ["aws_sns_sqs.sns_kms_master_key_id", "aws_sns_sqs.sqs_kms_master_key_id"]),
        ("aws_sqs_kms_master_key_id", ["aws_sns_sqs.sqs_kms_master_key_id"]),
        ("kms_data_key_reuse_period", ["aws_sns_sqs.sqs_kms_data_key_reuse_period"]),
        ("endpoint_url", [f"aws_endpoint_urls.{name}" for name in ENDPOINTS]),
        ("aws_endpoint_url", [f"aws_endpoint_urls.{name}" for name in ENDPOINTS]),
        ("sns_endpoint_url", ["aws_endpoint_urls.sns"]),
        ("aws_sts_endpoint_url", ["aws_endpoint_urls.sts"]),
        ("endpoint_urls.sqs", ["aws_endpoint_urls.sqs"]),
    ],
)
def test_legacy_names_inside_aws_sns_sqs(name: str, keys: list[str]) -> None:
    assert changed(Options(aws_sns_sqs={name: "v"})) == dict.fromkeys(keys, "v")


def test_legacy_endpoint_names_inside_aws_sns_sqs_reach_the_endpoint_section_by_item() -> None:
    options = Options()
    options["aws_sns_sqs.sqs_endpoint_url"] = "http://sqs"
    assert options.aws_endpoint_urls.sqs == "http://sqs"


def test_legacy_endpoint_names_write_into_a_given_endpoint_section() -> None:
    endpoints = Options.AWSEndpointURLs(sts="http://sts")
    options = Options(aws_sns_sqs={"endpoint_urls": {"sns": "http://sns"}}, aws_endpoint_urls=endpoints)
    assert options.aws_endpoint_urls is endpoints
    assert (endpoints.sns, endpoints.sts) == ("http://sns", "http://sts")


def test_legacy_endpoint_names_fail_on_a_lone_aws_sns_sqs_section() -> None:
    with pytest.raises(AttributeError, match=r"legacy name for 'aws_endpoint_urls\.sns'"):
        Options.AWSSNSSQS(endpoint_url="http://y")


def test_legacy_names_are_not_readable() -> None:
    options = Options(aws={"region_name": "eu-west-1"})
    with pytest.raises(AttributeError, match="'Options' object has no attribute 'aws'"):
        options["aws.region_name"]


def test_legacy_names_do_not_warn() -> None:
    # tomodachi 0.29 accepts them silently; the test run turns any warning into an error.
    Options(aws={"region_name": "eu-west-1"}, http={"max_buffer_size": 1})
