"""``Options``: a service's settings, made of the sections that the transport libraries own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tomodachi_middleware import OptionsSection
from tomodachi_transport_amqp import AMQPOptions, AMQPQoSOptions
from tomodachi_transport_awssnssqs import AWSEndpointURLsOptions, AWSSNSSQSOptions
from tomodachi_transport_http import HTTPOptions

from ._health import HealthOptions
from ._watcher import WatcherOptions

_ALL_ENDPOINTS = ("aws_endpoint_urls.sns", "aws_endpoint_urls.sqs", "aws_endpoint_urls.sts")
_BOTH_KMS_KEYS = ("aws_sns_sqs.sns_kms_master_key_id", "aws_sns_sqs.sqs_kms_master_key_id")

# The ``aws`` section of older tomodachi releases, spread over ``aws_sns_sqs`` and ``aws_endpoint_urls``.
_LEGACY_AWS_NAMES: dict[str, str | tuple[str, ...]] = {
    "aws.region_name": "aws_sns_sqs.region_name",
    "aws.aws_region_name": "aws_sns_sqs.region_name",
    "aws.access_key_id": "aws_sns_sqs.aws_access_key_id",
    "aws.aws_access_key_id": "aws_sns_sqs.aws_access_key_id",
    "aws.secret_access_key": "aws_sns_sqs.aws_secret_access_key",
    "aws.aws_secret_access_key": "aws_sns_sqs.aws_secret_access_key",
    "aws.endpoint_url": _ALL_ENDPOINTS,
    "aws.aws_endpoint_url": _ALL_ENDPOINTS,
    "aws.endpoint_urls.sns": "aws_endpoint_urls.sns",
    "aws.endpoint_urls.sqs": "aws_endpoint_urls.sqs",
    "aws.endpoint_urls.sts": "aws_endpoint_urls.sts",
    "aws.aws_sns_endpoint_url": "aws_endpoint_urls.sns",
    "aws.aws_sqs_endpoint_url": "aws_endpoint_urls.sqs",
    "aws.aws_sts_endpoint_url": "aws_endpoint_urls.sts",
    "aws.sns_endpoint_url": "aws_endpoint_urls.sns",
    "aws.sqs_endpoint_url": "aws_endpoint_urls.sqs",
    "aws.sts_endpoint_url": "aws_endpoint_urls.sts",
    "aws.topic_prefix": "aws_sns_sqs.topic_prefix",
    "aws.queue_name_prefix": "aws_sns_sqs.queue_name_prefix",
    "aws.queue_policy": "aws_sns_sqs.queue_policy",
    "aws.wildcard_queue_policy": "aws_sns_sqs.wildcard_queue_policy",
    "aws.kms_master_key_id": _BOTH_KMS_KEYS,
    "aws.aws_kms_master_key_id": _BOTH_KMS_KEYS,
    "aws.sns_kms_master_key_id": "aws_sns_sqs.sns_kms_master_key_id",
    "aws.aws_sns_kms_master_key_id": "aws_sns_sqs.sns_kms_master_key_id",
    "aws.sqs_kms_master_key_id": "aws_sns_sqs.sqs_kms_master_key_id",
    "aws.aws_sqs_kms_master_key_id": "aws_sns_sqs.sqs_kms_master_key_id",
    "aws.kms_data_key_reuse_period": "aws_sns_sqs.sqs_kms_data_key_reuse_period",
    "aws.aws_kms_data_key_reuse_period": "aws_sns_sqs.sqs_kms_data_key_reuse_period",
    "aws.aws_sqs_kms_data_key_reuse_period": "aws_sns_sqs.sqs_kms_data_key_reuse_period",
}


class Options(OptionsSection, aliases=_LEGACY_AWS_NAMES):
    """A service's options: one section per transport, plus the code-change watcher and the health endpoints.

    Each section takes its section object (``Options.HTTP(port=80)``) or a mapping of its keys
    (``{"port": 80}``); a section that is not given has its defaults. Further keywords are dotted
    keys (``**{"http.port": 80}``) or legacy names (``aws={"region_name": ...}``)::

        options = Options(http=Options.HTTP(port=80), watcher={"ignored_dirs": ["node_modules"]})
        options.http.port                      # 80
        options["amqp.qos.queue_prefetch_count"]  # 100

    The section classes are the transport libraries' own (``Options.HTTP`` is a
    ``tomodachi_transport_http.HTTPOptions``), named as tomodachi names them.

    Args:
        http: The ``http`` section.
        aws_sns_sqs: The ``aws_sns_sqs`` section; a mapping may use the legacy endpoint names too.
        aws_endpoint_urls: The ``aws_endpoint_urls`` section.
        amqp: The ``amqp`` section, with ``amqp.qos`` inside.
        watcher: The ``watcher`` section.
        health: The ``health`` section (liveness and readiness endpoints).
        **options: Dotted keys and legacy names, applied after the sections.

    Raises:
        AttributeError: An unknown key was given, or a mapping mixes known and unknown names.
        TypeError: A section was given something that is neither a mapping nor a section of its kind.
    """

    class HTTP(HTTPOptions):
        __slots__ = ()

    class AWSSNSSQS(AWSSNSSQSOptions):
        __slots__ = ()

    class AWSEndpointURLs(AWSEndpointURLsOptions):
        __slots__ = ()

    class AMQP(AMQPOptions):
        __slots__ = ()

        class QOS(AMQPQoSOptions):
            __slots__ = ()

    class Watcher(WatcherOptions):
        __slots__ = ()

    class Health(HealthOptions):
        __slots__ = ()

    __slots__ = ("amqp", "aws_endpoint_urls", "aws_sns_sqs", "health", "http", "watcher")

    http: HTTPOptions
    aws_sns_sqs: AWSSNSSQSOptions
    aws_endpoint_urls: AWSEndpointURLsOptions
    amqp: AMQPOptions
    watcher: WatcherOptions
    health: HealthOptions

    def __init__(
        self,
        *,
        http: HTTPOptions | Mapping[str, Any] | None = None,
        aws_sns_sqs: AWSSNSSQSOptions | Mapping[str, Any] | None = None,
        aws_endpoint_urls: AWSEndpointURLsOptions | Mapping[str, Any] | None = None,
        amqp: AMQPOptions | Mapping[str, Any] | None = None,
        watcher: WatcherOptions | Mapping[str, Any] | None = None,
        health: HealthOptions | Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        self.http = self.HTTP()
        self.aws_sns_sqs = self.AWSSNSSQS()
        self.aws_endpoint_urls = self.AWSEndpointURLs()
        self.amqp = self.AMQP()
        self.watcher = self.Watcher()
        self.health = self.Health()
        given: dict[str, object] = {
            "http": http,
            "aws_sns_sqs": aws_sns_sqs,
            "aws_endpoint_urls": aws_endpoint_urls,
            "amqp": amqp,
            "watcher": watcher,
            "health": health,
        }
        # Section objects first: a mapping may carry legacy names that write into another section.
        self.update({key: value for key, value in given.items() if isinstance(value, OptionsSection)})
        self.update(
            {
                key: value
                for key, value in given.items()
                if value is not None and not isinstance(value, OptionsSection)
            }
        )
        if options:
            self.update(options)
