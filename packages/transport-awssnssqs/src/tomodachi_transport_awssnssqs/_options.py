"""The ``aws_sns_sqs`` and ``aws_endpoint_urls`` sections of a service's options."""

from __future__ import annotations

from typing import Any

from tomodachi_middleware import OptionsSection

_ALL_ENDPOINTS = ("^aws_endpoint_urls.sns", "^aws_endpoint_urls.sqs", "^aws_endpoint_urls.sts")
_BOTH_KMS_KEYS = ("sns_kms_master_key_id", "sqs_kms_master_key_id")

# Names from older tomodachi releases. The endpoint names belong to the sibling section
# ``aws_endpoint_urls`` ("^" = the enclosing options), so they work only inside a full Options.
_LEGACY_NAMES: dict[str, str | tuple[str, ...]] = {
    "aws_region_name": "region_name",
    "secret_access_key": "aws_secret_access_key",
    "access_key_id": "aws_access_key_id",
    "endpoint_url": _ALL_ENDPOINTS,
    "aws_endpoint_url": _ALL_ENDPOINTS,
    "endpoint_urls.sns": "^aws_endpoint_urls.sns",
    "endpoint_urls.sqs": "^aws_endpoint_urls.sqs",
    "endpoint_urls.sts": "^aws_endpoint_urls.sts",
    "aws_sns_endpoint_url": "^aws_endpoint_urls.sns",
    "aws_sqs_endpoint_url": "^aws_endpoint_urls.sqs",
    "aws_sts_endpoint_url": "^aws_endpoint_urls.sts",
    "sns_endpoint_url": "^aws_endpoint_urls.sns",
    "sqs_endpoint_url": "^aws_endpoint_urls.sqs",
    "sts_endpoint_url": "^aws_endpoint_urls.sts",
    "aws_kms_master_key_id": _BOTH_KMS_KEYS,
    "kms_master_key_id": _BOTH_KMS_KEYS,
    "aws_sns_kms_master_key_id": "sns_kms_master_key_id",
    "aws_sqs_kms_master_key_id": "sqs_kms_master_key_id",
    "aws_sqs_kms_data_key_reuse_period": "sqs_kms_data_key_reuse_period",
    "aws_kms_data_key_reuse_period": "sqs_kms_data_key_reuse_period",
    "kms_data_key_reuse_period": "sqs_kms_data_key_reuse_period",
}


class AWSSNSSQSOptions(OptionsSection, prefix="aws_sns_sqs", aliases=_LEGACY_NAMES):
    """Credentials, prefixes, encryption and policies for SNS topics and SQS queues, the
    ``aws_sns_sqs.*`` keys.

    Args:
        region_name: AWS region of the API requests.
        aws_access_key_id: Access key of the API requests.
        aws_secret_access_key: Secret key of the API requests.
        topic_prefix: Put in front of every SNS topic name.
        queue_name_prefix: Put in front of every SQS queue name.
        sns_kms_master_key_id: KMS key (id or alias) for encryption at rest of the topics the service
            creates or subscribes to. ``None`` leaves existing topics as they are; ``""`` turns
            encryption off.
        sqs_kms_master_key_id: The same for the queues the service consumes.
        sqs_kms_data_key_reuse_period: KMS data key reuse period of those queues, in seconds;
            ``None`` leaves existing queues as they are.
        queue_policy: SQS queue policy document (JSON) to set instead of the generated one.
        wildcard_queue_policy: The same for queues subscribed to wildcard topics.
        **options: Legacy names: ``aws_region_name``, ``access_key_id``, ``secret_access_key``,
            ``(aws_)kms_master_key_id`` (both KMS keys), ``aws_sns_kms_master_key_id``,
            ``aws_sqs_kms_master_key_id``, ``(aws_)(sqs_)kms_data_key_reuse_period``. The endpoint
            names (``endpoint_url``, ``sns_endpoint_url``, ...) are accepted only in a mapping given
            to the full options, since they set ``aws_endpoint_urls``.

    Raises:
        AttributeError: An unknown key was given.
    """

    __slots__ = (
        "aws_access_key_id",
        "aws_secret_access_key",
        "queue_name_prefix",
        "queue_policy",
        "region_name",
        "sns_kms_master_key_id",
        "sqs_kms_data_key_reuse_period",
        "sqs_kms_master_key_id",
        "topic_prefix",
        "wildcard_queue_policy",
    )

    region_name: str | None
    aws_access_key_id: str | None
    aws_secret_access_key: str | None
    topic_prefix: str
    queue_name_prefix: str
    sns_kms_master_key_id: str | None
    sqs_kms_master_key_id: str | None
    sqs_kms_data_key_reuse_period: int | None
    queue_policy: str | None
    wildcard_queue_policy: str | None

    def __init__(
        self,
        *,
        region_name: str | None = None,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        topic_prefix: str = "",
        queue_name_prefix: str = "",
        sns_kms_master_key_id: str | None = None,
        sqs_kms_master_key_id: str | None = None,
        sqs_kms_data_key_reuse_period: int | None = None,
        queue_policy: str | None = None,
        wildcard_queue_policy: str | None = None,
        **options: Any,
    ) -> None:
        self.region_name = region_name
        self.aws_access_key_id = aws_access_key_id
        self.aws_secret_access_key = aws_secret_access_key
        self.topic_prefix = topic_prefix
        self.queue_name_prefix = queue_name_prefix
        self.sns_kms_master_key_id = sns_kms_master_key_id
        self.sqs_kms_master_key_id = sqs_kms_master_key_id
        self.sqs_kms_data_key_reuse_period = sqs_kms_data_key_reuse_period
        self.queue_policy = queue_policy
        self.wildcard_queue_policy = wildcard_queue_policy
        if options:
            self.update(options)


class AWSEndpointURLsOptions(OptionsSection, prefix="aws_endpoint_urls"):
    """Endpoint URLs of the AWS APIs, the ``aws_endpoint_urls.*`` keys; for fakes such as moto.

    Args:
        sns: Endpoint URL of SNS; ``None`` for AWS's own.
        sqs: Endpoint URL of SQS; ``None`` for AWS's own.
        sts: Endpoint URL of STS; ``None`` for AWS's own.
        **options: Dotted keys.

    Raises:
        AttributeError: An unknown key was given.
    """

    __slots__ = ("sns", "sqs", "sts")

    sns: str | None
    sqs: str | None
    sts: str | None

    def __init__(
        self, *, sns: str | None = None, sqs: str | None = None, sts: str | None = None, **options: Any
    ) -> None:
        self.sns = sns
        self.sqs = sqs
        self.sts = sts
        if options:
            self.update(options)
