from typing import Any

import pytest

from tomodachi_middleware import OptionsSection
from tomodachi_transport_awssnssqs import AWSEndpointURLsOptions, AWSSNSSQSOptions

DEFAULTS = [
    ("region_name", None),
    ("aws_access_key_id", None),
    ("aws_secret_access_key", None),
    ("topic_prefix", ""),
    ("queue_name_prefix", ""),
    ("sns_kms_master_key_id", None),
    ("sqs_kms_master_key_id", None),
    ("sqs_kms_data_key_reuse_period", None),
    ("queue_policy", None),
    ("wildcard_queue_policy", None),
]


@pytest.mark.parametrize(("key", "default"), DEFAULTS)
def test_every_sns_sqs_key_has_its_default(key: str, default: object) -> None:
    assert AWSSNSSQSOptions()[key] == default


def test_the_sns_sqs_keys_are_tomodachis_in_its_order() -> None:
    assert list(AWSSNSSQSOptions().keys()) == [key for key, _ in DEFAULTS]


@pytest.mark.parametrize("service", ["sns", "sqs", "sts"])
def test_every_endpoint_url_defaults_to_none(service: str) -> None:
    assert AWSEndpointURLsOptions()[service] is None


def test_the_endpoint_keys_are_sns_sqs_sts() -> None:
    assert list(AWSEndpointURLsOptions().keys()) == ["sns", "sqs", "sts"]
    assert AWSEndpointURLsOptions(sqs="http://localhost:4566").sqs == "http://localhost:4566"


def test_both_are_options_sections_with_their_prefixes() -> None:
    assert isinstance(AWSSNSSQSOptions(), OptionsSection)
    assert repr(AWSSNSSQSOptions()).startswith(
        '∴ aws_sns_sqs <class: "AWSSNSSQSOptions" -- prefix: "aws_sns_sqs">:'
    )
    assert repr(AWSEndpointURLsOptions()).startswith(
        '∴ aws_endpoint_urls <class: "AWSEndpointURLsOptions" -- prefix: "aws_endpoint_urls">:'
    )


@pytest.mark.parametrize(
    ("legacy", "keys"),
    [
        ("aws_region_name", ["region_name"]),
        ("access_key_id", ["aws_access_key_id"]),
        ("secret_access_key", ["aws_secret_access_key"]),
        ("kms_master_key_id", ["sns_kms_master_key_id", "sqs_kms_master_key_id"]),
        ("aws_kms_master_key_id", ["sns_kms_master_key_id", "sqs_kms_master_key_id"]),
        ("aws_sns_kms_master_key_id", ["sns_kms_master_key_id"]),
        ("aws_sqs_kms_master_key_id", ["sqs_kms_master_key_id"]),
        ("kms_data_key_reuse_period", ["sqs_kms_data_key_reuse_period"]),
        ("aws_kms_data_key_reuse_period", ["sqs_kms_data_key_reuse_period"]),
        ("aws_sqs_kms_data_key_reuse_period", ["sqs_kms_data_key_reuse_period"]),
    ],
)
def test_legacy_names_set_the_current_keys(legacy: str, keys: list[str]) -> None:
    given: dict[str, Any] = {legacy: "v"}
    options = AWSSNSSQSOptions(**given)
    changed = {key for key, value in options.asdict().items() if value == "v"}
    assert changed == set(keys)


@pytest.mark.parametrize(
    "legacy", ["endpoint_url", "sns_endpoint_url", "aws_sqs_endpoint_url", "endpoint_urls.sts"]
)
def test_legacy_endpoint_names_need_the_full_options(legacy: str) -> None:
    with pytest.raises(AttributeError, match=r"is a legacy name for 'aws_endpoint_urls\."):
        AWSSNSSQSOptions(**{legacy: "http://localhost:4566"})  # type: ignore[arg-type]


def test_an_unknown_key_is_refused() -> None:
    with pytest.raises(AttributeError, match=r"^'AWSSNSSQSOptions' object has no attribute 'region'$"):
        AWSSNSSQSOptions(region="eu-west-1")
    with pytest.raises(AttributeError, match=r"^'AWSEndpointURLsOptions' object has no attribute 's3'$"):
        AWSEndpointURLsOptions(s3="http://localhost")
