"""The facade's SNS+SQS names are the transport library's own objects."""

from __future__ import annotations

import importlib

import tomodachi
import tomodachi_transport_awssnssqs as library
from tomodachi_middleware import handler_specs
from tomodachi_transport_awssnssqs import SNSSQSHandlerSpec


def test_the_decorators_and_functions_are_the_librarys() -> None:
    assert tomodachi.aws_sns_sqs is library.aws_sns_sqs
    assert tomodachi.awssnssqs is library.aws_sns_sqs
    for name in ("aws_sns_sqs_publish", "awssnssqs_publish", "sns_publish"):
        assert getattr(tomodachi, name) is library.publish
    for name in ("aws_sns_sqs_send_message", "awssnssqs_send_message", "sqs_send_message"):
        assert getattr(tomodachi, name) is library.send_message


def test_the_compat_module_and_its_alias_are_one_module() -> None:
    module = importlib.import_module("tomodachi.transport.aws_sns_sqs")
    alias = importlib.import_module("tomodachi.transport.awssnssqs")
    assert alias is module
    assert module.AWSSNSSQSTransport is library.AWSSNSSQSTransport
    assert module.publish is library.publish
    assert module.send_message is library.send_message


def test_the_0_29_exceptions_that_keep_a_message_are_internal_service_errors() -> None:
    module = importlib.import_module("tomodachi.transport.aws_sns_sqs")
    for name in ("AWSSNSSQSInternalServiceErrorException", "AWSSNSSQSInternalServiceException"):
        assert issubclass(getattr(module, name), module.AWSSNSSQSInternalServiceError)
    assert issubclass(module.AWSSNSSQSInternalServiceError, module.AWSSNSSQSException)
    assert issubclass(module.QueueDoesNotExistError, module.AWSSNSSQSException)
    assert issubclass(module.AWSSNSSQSConnectionException, module.AWSSNSSQSException)


def test_the_decorator_records_a_spec_and_returns_the_function() -> None:
    async def handler(self: object, data: object) -> None: ...

    assert tomodachi.aws_sns_sqs("topic")(handler) is handler
    (spec,) = handler_specs(handler)
    assert isinstance(spec, SNSSQSHandlerSpec)
    assert spec.transport.name == "aws_sns_sqs"
    assert spec.competing is True
