"""Messages written by tomodachi 0.29 (tests/golden, made by scripts/make_golden_envelopes.py).

Each is parsed to the fields 0.29 itself parsed from it, and built again here from the same inputs,
with 0.29's uuid and timestamp, to the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.wrappers_pb2 import StringValue

from tomodachi_envelope import JsonBase, ProtobufBase, ServiceIdentity, _identity, _json_base, _protobuf_base

GOLDEN = Path(__file__).parent / "golden"
CASES: dict[str, Any] = json.loads((GOLDEN / "golden.json").read_text())["cases"]
ENVELOPES: dict[str, Any] = {"JsonBase": JsonBase, "ProtobufBase": ProtobufBase}


def expected_data(case: dict[str, Any]) -> Any:
    inputs = case["inputs"]
    if case["envelope"] == "ProtobufBase":
        assert inputs["proto_class"] == "google.protobuf.wrappers_pb2.StringValue"
        return StringValue(value=inputs["proto_value"])
    return inputs["data"]


def payload_of(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="ascii")


def test_golden_set_covers_small_threshold_and_compressed_messages() -> None:
    encodings = {(case["envelope"], case["parsed"]["metadata"]["data_encoding"]) for case in CASES.values()}
    assert encodings == {
        ("JsonBase", "raw"),
        ("JsonBase", "base64_gzip_json"),
        ("ProtobufBase", "proto"),
        ("ProtobufBase", "gzip_proto"),
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_message_from_tomodachi_029_parses_to_the_same_fields(name: str) -> None:
    case = CASES[name]
    envelope = ENVELOPES[case["envelope"]]
    kwargs = {"proto_class": StringValue} if envelope is ProtobufBase else {}

    message, message_uuid, timestamp = envelope.parse_message(payload_of(name), **kwargs)

    assert message["service"] == case["parsed"]["service"]
    assert message["metadata"] == case["parsed"]["metadata"]
    assert message["data"] == expected_data(case)
    assert message_uuid == case["parsed"]["message_uuid"]
    assert timestamp == case["parsed"]["timestamp"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_message_built_here_is_byte_identical_to_tomodachi_029(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES[name]
    inputs, parsed = case["inputs"], case["parsed"]
    uuid4 = parsed["message_uuid"].split(".", 1)[1]
    monkeypatch.setattr(_identity, "random_uuid4", lambda: uuid4)
    monkeypatch.setattr(_json_base, "now", lambda: parsed["timestamp"])
    monkeypatch.setattr(_protobuf_base, "now", lambda: parsed["timestamp"])
    service = ServiceIdentity(inputs["service_name"], inputs["service_uuid"])

    payload = ENVELOPES[case["envelope"]].build_message(service, inputs["topic"], expected_data(case))

    assert payload == payload_of(name)
