from __future__ import annotations

import base64
import gzip
import json
import math
import time
import uuid
import zlib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tomodachi_envelope import (
    DataDecodeError,
    EnvelopeBuildError,
    EnvelopeParseError,
    JsonBase,
    MalformedPayloadError,
    ParsedMessage,
    ServiceIdentity,
    UnsupportedProtocolError,
    _identity,
    _json_base,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


def envelope_of(data: Any, encoding: str = "raw", version: str = "tomodachi-json-base--1.0.0") -> str:
    return json.dumps(
        {
            "service": {"name": "s", "uuid": "u"},
            "metadata": {
                "message_uuid": "u.1",
                "protocol_version": version,
                "timestamp": 1.5,
                "topic": "t",
                "data_encoding": encoding,
            },
            "data": data,
        }
    )


def test_message_text_equals_json_dumps_of_the_tomodachi_structure(
    service: ServiceIdentity, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_json_base, "now", lambda: 1795890000.123456)
    monkeypatch.setattr(_identity, "random_uuid4", lambda: "0f0e0d0c-0b0a-4908-8706-050403020100")
    data = {"id": 1, "name": "Åsa", "tags": ["x", None, True], "price": 9.99}

    payload = JsonBase.build_message(service, "order-created", data)

    assert payload == json.dumps(
        {
            "service": {"name": "orders", "uuid": service.uuid},
            "metadata": {
                "message_uuid": f"{service.uuid}.0f0e0d0c-0b0a-4908-8706-050403020100",
                "protocol_version": "tomodachi-json-base--1.0.0",
                "compatible_protocol_versions": ["json_base-wip"],
                "timestamp": 1795890000.123456,
                "topic": "order-created",
                "data_encoding": "raw",
            },
            "data": data,
        }
    )
    assert payload.isascii()


def test_parse_gives_service_metadata_and_data(service: ServiceIdentity) -> None:
    before = time.time()
    message, message_uuid, timestamp = JsonBase.parse_message(JsonBase.build_message(service, "t", [1, 2]))

    assert message["data"] == [1, 2]
    assert message["service"] == {"name": "orders", "uuid": service.uuid}
    assert set(message["metadata"]) == {
        "message_uuid",
        "protocol_version",
        "timestamp",
        "topic",
        "data_encoding",
    }
    assert message["metadata"]["topic"] == "t"
    assert message["metadata"]["protocol_version"] == JsonBase.PROTOCOL_VERSION
    assert message_uuid == message["metadata"]["message_uuid"]
    assert before <= timestamp <= time.time()


def test_message_uuid_is_service_uuid_dot_uuid4(service: ServiceIdentity) -> None:
    parsed = JsonBase.parse_message(JsonBase.build_message(service, "t", None))
    prefix, _, suffix = parsed.message_uuid.partition(".")

    assert prefix == service.uuid
    assert uuid.UUID(suffix).version == 4
    assert str(uuid.UUID(suffix)) == suffix


def test_every_message_gets_its_own_uuid(service: ServiceIdentity) -> None:
    uuids = {JsonBase.parse_message(JsonBase.build_message(service, "t", 1)).message_uuid for _ in range(200)}
    assert len(uuids) == 200


def test_sender_without_uuid_attribute_gives_null_uuid_and_bare_dot_prefix() -> None:
    class Nameless:
        name = "script"

    parsed = JsonBase.parse_message(JsonBase.build_message(Nameless(), "", {"a": 1}))

    assert parsed.message["service"] == {"name": "script", "uuid": None}
    assert parsed.message_uuid.startswith(".")
    assert parsed.message["metadata"]["topic"] == ""


@given(json_values)
def test_any_json_value_survives_the_round_trip(data: Any) -> None:
    payload = JsonBase.build_message(ServiceIdentity("s", "u"), "topic", data)
    assert JsonBase.parse_message(payload).data == data


def test_data_of_59999_json_characters_travels_raw(service: ServiceIdentity) -> None:
    data = "x" * 59997
    assert len(json.dumps(data)) == 59999

    payload = JsonBase.build_message(service, "t", data)

    assert json.loads(payload)["metadata"]["data_encoding"] == "raw"
    assert JsonBase.parse_message(payload).data == data


def test_data_of_60000_json_characters_travels_compressed(service: ServiceIdentity) -> None:
    data = "x" * 59998
    assert len(json.dumps(data)) == 60000

    payload = JsonBase.build_message(service, "t", data)
    wire = json.loads(payload)

    assert wire["metadata"]["data_encoding"] == "base64_gzip_json"
    assert json.loads(zlib.decompress(base64.b64decode(wire["data"]))) == data
    assert JsonBase.parse_message(payload).data == data
    assert len(payload) < 2000


def test_compressed_data_in_a_real_gzip_stream_is_read_too() -> None:
    packed = base64.b64encode(gzip.compress(json.dumps({"k": "v" * 10}).encode())).decode()
    assert JsonBase.parse_message(envelope_of(packed, "base64_gzip_json")).data == {"k": "v" * 10}


def test_nan_and_infinity_are_written_as_json_dumps_writes_them(service: ServiceIdentity) -> None:
    payload = JsonBase.build_message(service, "t", [math.inf, -math.inf, math.nan])
    assert payload.endswith('"data": [Infinity, -Infinity, NaN]}')
    assert JsonBase.parse_message(payload).data[:2] == [math.inf, -math.inf]


def test_bytes_payload_is_accepted(service: ServiceIdentity) -> None:
    payload = JsonBase.build_message(service, "t", {"a": 1}).encode()
    assert JsonBase.parse_message(payload).data == {"a": 1}


def test_legacy_protocol_name_is_still_read() -> None:
    assert JsonBase.parse_message(envelope_of(3, version="json_base-wip")).data == 3


def test_unknown_keys_do_not_disturb_parsing() -> None:
    wire = json.loads(envelope_of({"a": 1}))
    wire["extra"] = True
    wire["service"]["region"] = "eu"
    parsed = JsonBase.parse_message(json.dumps(wire))

    assert parsed.data == {"a": 1}
    assert parsed.message["service"] == {"name": "s", "uuid": "u"}


def test_unserialisable_data_raises_build_error(service: ServiceIdentity) -> None:
    with pytest.raises(EnvelopeBuildError, match="JsonBase cannot carry this data"):
        JsonBase.build_message(service, "t", {"when": object()})


def test_circular_data_raises_build_error(service: ServiceIdentity) -> None:
    circular: list[Any] = []
    circular.append(circular)
    with pytest.raises(EnvelopeBuildError):
        JsonBase.build_message(service, "t", circular)


@pytest.mark.parametrize(
    ("payload", "error", "says"),
    [
        ("not json", MalformedPayloadError, "not JSON"),
        ("", MalformedPayloadError, "not JSON"),
        ("[1, 2]", MalformedPayloadError, "no top-level object"),
        ('{"service": {}, "data": 1}', MalformedPayloadError, "no metadata object"),
        ('{"metadata": [], "service": {}, "data": 1}', MalformedPayloadError, "no metadata object"),
        (
            '{"metadata": {"protocol_version": "tomodachi-json-base--1.0.0"}, "data": 1}',
            MalformedPayloadError,
            "no service object",
        ),
        (envelope_of(1, version="tomodachi-json-base--2.0.0"), UnsupportedProtocolError, "2.0.0"),
        (envelope_of(1, version="something-else"), UnsupportedProtocolError, "something-else"),
        (envelope_of(1, encoding="rot13"), DataDecodeError, "unknown data_encoding: 'rot13'"),
        (envelope_of("%%%", encoding="base64_gzip_json"), DataDecodeError, "not valid base64"),
        (envelope_of(12, encoding="base64_gzip_json"), DataDecodeError, "no base64 text"),
        (
            envelope_of(base64.b64encode(b"plain bytes").decode(), encoding="base64_gzip_json"),
            DataDecodeError,
            "does not decompress",
        ),
        (
            envelope_of(base64.b64encode(zlib.compress(b"{nope")).decode(), encoding="base64_gzip_json"),
            DataDecodeError,
            "not JSON after decompressing",
        ),
    ],
)
def test_bad_payloads_raise_the_library_error_saying_what_is_wrong(
    payload: str, error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says) as raised:
        JsonBase.parse_message(payload)
    assert isinstance(raised.value, EnvelopeParseError)
    assert isinstance(raised.value, ValueError)


def test_message_without_data_field_is_malformed() -> None:
    wire = json.loads(envelope_of(1))
    del wire["data"]
    with pytest.raises(MalformedPayloadError, match="no data field"):
        JsonBase.parse_message(json.dumps(wire))


@pytest.mark.parametrize(
    ("field", "value"), [("message_uuid", None), ("message_uuid", 5), ("timestamp", "now")]
)
def test_metadata_with_wrong_id_or_timestamp_is_malformed(field: str, value: Any) -> None:
    wire = json.loads(envelope_of(1))
    wire["metadata"][field] = value
    with pytest.raises(MalformedPayloadError, match=field):
        JsonBase.parse_message(json.dumps(wire))


def test_parsed_message_unpacks_like_a_tuple(service: ServiceIdentity) -> None:
    parsed = JsonBase.parse_message(JsonBase.build_message(service, "t", "x"))
    message, message_uuid, timestamp = parsed

    assert isinstance(parsed, ParsedMessage)
    assert (message, message_uuid, timestamp) == (parsed.message, parsed.message_uuid, parsed.timestamp)
    assert parsed.data == "x"
