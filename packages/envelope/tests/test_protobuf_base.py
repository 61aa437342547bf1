from __future__ import annotations

import base64
import logging
import sys
import time
import uuid
import zlib
from typing import Any

import pytest
from google.protobuf.wrappers_pb2 import BytesValue, StringValue

from tomodachi_envelope import (
    DataDecodeError,
    EnvelopeBuildError,
    MalformedPayloadError,
    MissingExtraError,
    ProtobufBase,
    ProtoClassError,
    ServiceIdentity,
    UnsupportedProtocolError,
    _protobuf_outer,
    _protobuf_support,
)


def wire_payload(data: bytes, encoding: str, version: str = "tomodachi-protobuf-base--1.0.0") -> str:
    outer = _protobuf_outer.outer_message_class()()
    outer.service.name, outer.service.uuid = "s", "u"
    outer.metadata.message_uuid, outer.metadata.protocol_version = "u.1", version
    outer.metadata.timestamp, outer.metadata.topic, outer.metadata.data_encoding = 1.5, "t", encoding
    outer.data = data
    return base64.b64encode(outer.SerializeToString()).decode()


def test_round_trip_gives_the_message_back(service: ServiceIdentity) -> None:
    before = time.time()
    payload = ProtobufBase.build_message(service, "order-created", StringValue(value="hello"))
    message, message_uuid, timestamp = ProtobufBase.parse_message(payload, proto_class=StringValue)

    assert message["data"] == StringValue(value="hello")
    assert message["service"] == {"name": "orders", "uuid": service.uuid}
    assert message["metadata"]["topic"] == "order-created"
    assert message["metadata"]["data_encoding"] == "proto"
    assert message["metadata"]["protocol_version"] == ProtobufBase.PROTOCOL_VERSION
    assert message_uuid.startswith(service.uuid + ".")
    assert uuid.UUID(message_uuid.split(".", 1)[1]).version == 4
    assert before <= timestamp <= time.time()


def test_payload_is_standard_base64_text(service: ServiceIdentity) -> None:
    payload = ProtobufBase.build_message(service, "t", BytesValue(value=bytes(range(256)) * 4))
    assert payload.isascii()
    assert base64.b64encode(base64.b64decode(payload, validate=True)).decode() == payload


def test_data_over_60000_bytes_travels_compressed(service: ServiceIdentity) -> None:
    big = StringValue(value="y" * 70000)
    payload = ProtobufBase.build_message(service, "t", big)
    parsed = ProtobufBase.parse_message(payload, proto_class=StringValue)

    assert parsed.message["metadata"]["data_encoding"] == "gzip_proto"
    assert parsed.data == big
    assert len(payload) < 2000


def test_data_of_exactly_60000_bytes_travels_uncompressed(service: ServiceIdentity) -> None:
    exact = BytesValue(value=b"z" * 59996)
    assert exact.ByteSize() == 60000
    parsed = ProtobufBase.parse_message(
        ProtobufBase.build_message(service, "t", exact), proto_class=BytesValue
    )
    assert parsed.message["metadata"]["data_encoding"] == "proto"
    assert parsed.data == exact


def test_without_proto_class_data_is_the_raw_bytes(service: ServiceIdentity) -> None:
    payload = ProtobufBase.build_message(service, "t", StringValue(value="hi"))
    assert ProtobufBase.parse_message(payload).data == StringValue(value="hi").SerializeToString()


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("base64", base64.b64encode),
        ("base64_gzip_proto", lambda raw: base64.b64encode(zlib.compress(raw))),
    ],
)
def test_older_data_encodings_are_still_read(encoding: str, pack: Any) -> None:
    payload = wire_payload(pack(StringValue(value="old").SerializeToString()), encoding)
    assert ProtobufBase.parse_message(payload, proto_class=StringValue).data == StringValue(value="old")


def test_raw_data_encoding_gives_bytes_even_with_proto_class() -> None:
    assert (
        ProtobufBase.parse_message(wire_payload(b"\x01\x02", "raw"), proto_class=StringValue).data
        == b"\x01\x02"
    )


def test_validate_accepts_a_message_class() -> None:
    ProtobufBase.validate(proto_class=StringValue)


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({}, "needs a proto_class keyword"),
        ({"proto_class": StringValue()}, "generated protobuf message class"),
        ({"proto_class": dict}, "generated protobuf message class"),
    ],
)
def test_validate_refuses_a_missing_or_wrong_proto_class(kwargs: dict[str, Any], says: str) -> None:
    with pytest.raises(ProtoClassError, match=says):
        ProtobufBase.validate(**kwargs)


def test_building_from_non_protobuf_data_raises_build_error(service: ServiceIdentity) -> None:
    with pytest.raises(EnvelopeBuildError, match="carries protobuf messages, not dict"):
        ProtobufBase.build_message(service, "t", {"not": "protobuf"})


@pytest.mark.parametrize(
    ("payload", "error", "says"),
    [
        ("***", MalformedPayloadError, "not base64"),
        (base64.b64encode(b"\x0b\x01").decode(), MalformedPayloadError, "not a protobuf envelope"),
        (
            wire_payload(b"", "proto", version="tomodachi-protobuf-base--2.0.0"),
            UnsupportedProtocolError,
            "2.0.0",
        ),
        (wire_payload(b"", "proto", version=""), UnsupportedProtocolError, "''"),
        (wire_payload(b"\x0a\x05ab", "proto"), DataDecodeError, "does not decode as StringValue"),
        (wire_payload(b"\x01\x02", "gzip_proto"), DataDecodeError, "does not decompress"),
        (wire_payload(b"%%", "base64"), DataDecodeError, "not valid base64"),
        (wire_payload(b"\x01", "zstd_proto"), DataDecodeError, "unknown data_encoding: 'zstd_proto'"),
    ],
)
def test_bad_payloads_raise_the_library_error_saying_what_is_wrong(
    payload: str, error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        ProtobufBase.parse_message(payload, proto_class=StringValue)


def test_parse_with_a_wrong_proto_class_raises_proto_class_error(service: ServiceIdentity) -> None:
    payload = ProtobufBase.build_message(service, "t", StringValue(value="x"))
    with pytest.raises(ProtoClassError):
        ProtobufBase.parse_message(payload, proto_class=str)


def test_validator_receives_the_decoded_data(service: ServiceIdentity) -> None:
    seen: list[Any] = []
    payload = ProtobufBase.build_message(service, "t", StringValue(value="ok"))
    ProtobufBase.parse_message(payload, proto_class=StringValue, validator=seen.append)
    assert seen == [StringValue(value="ok")]


def test_failing_validator_is_logged_and_raised(
    service: ServiceIdentity, caplog: pytest.LogCaptureFixture
) -> None:
    def reject(obj: Any) -> None:
        raise ValueError(f"value {obj.value!r} is not allowed")

    payload = ProtobufBase.build_message(service, "t", StringValue(value="bad"))
    with (
        caplog.at_level(logging.WARNING, logger="tomodachi.envelope"),
        pytest.raises(ValueError, match="bad"),
    ):
        ProtobufBase.parse_message(payload, proto_class=StringValue, validator=reject)
    assert [record.getMessage() for record in caplog.records] == [
        "message data failed validation: value 'bad' is not allowed"
    ]
    assert caplog.records[0].name == "tomodachi.envelope"


@pytest.fixture
def without_protobuf(monkeypatch: pytest.MonkeyPatch) -> Any:
    _protobuf_support.protobuf_message_class.cache_clear()
    _protobuf_outer.outer_message_class.cache_clear()
    monkeypatch.setitem(sys.modules, "google.protobuf.message", None)
    yield
    _protobuf_support.protobuf_message_class.cache_clear()
    _protobuf_outer.outer_message_class.cache_clear()


@pytest.mark.usefixtures("without_protobuf")
def test_without_protobuf_every_use_says_which_extra_to_install(service: ServiceIdentity) -> None:
    install_line = r"pip install 'tomodachi-envelope\[protobuf\]'"
    with pytest.raises(MissingExtraError, match=install_line):
        ProtobufBase.build_message(service, "t", object())
    with pytest.raises(MissingExtraError, match=install_line):
        ProtobufBase.validate(proto_class=object)
    with pytest.raises(MissingExtraError, match=install_line):
        ProtobufBase.parse_message("CgA=")
    with pytest.raises(ImportError):
        ProtobufBase.parse_message("CgA=")
