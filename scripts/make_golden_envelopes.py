"""Writes golden envelope payloads produced by tomodachi 0.29 into packages/envelope/tests/golden/.

Run it once, by a Python that has the released ``tomodachi==0.29.0`` and ``protobuf`` installed (not the
development venv, where ``tomodachi`` is this repository's facade):

    python3.11 -m venv /tmp/venv029
    /tmp/venv029/bin/pip install tomodachi==0.29.0 protobuf
    /tmp/venv029/bin/python scripts/make_golden_envelopes.py

Every payload is built with 0.29's ``JsonBase``/``ProtobufBase`` and parsed back with 0.29's own
``parse_message``. ``golden.json`` records, per payload file, the inputs given to ``build_message`` and the
fields ``parse_message`` returned. Data values are written once, under ``inputs``: the script checks that
0.29 parsed back exactly that data, and marks it with ``"data_equals_input": true``. All data is generated
deterministically, so a rerun changes only the message uuids and timestamps.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from google.protobuf.wrappers_pb2 import StringValue

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "packages" / "envelope" / "tests" / "golden"

SERVICE_NAME = "golden-service"
SERVICE_UUID = "0f8c2d6e-7b1a-4e35-9c44-5a1d3b9e2f70"
JSON_TOPIC = "order.created"
PROTO_TOPIC = "order.proto"
PROTO_CLASS = "google.protobuf.wrappers_pb2.StringValue"
COMPRESS_AT = 60000  # JsonBase: len(json.dumps(data)) >= 60000; ProtobufBase: len(serialised) > 60000


class GoldenService:
    """The smallest service object an envelope needs: a name and a uuid."""

    name = SERVICE_NAME
    uuid = SERVICE_UUID


def small_data() -> dict[str, Any]:
    """A typical message with every JSON type, float edge cases, escapes and non-ASCII text."""
    return {
        "order_id": 1234567,
        "amount": 1499.95,
        "ratio": 0.1,
        "third": 1 / 3,
        "tiny": 1e-07,
        "huge": 1e21,
        "whole_float": 2.0,
        "negative": -42,
        "big_int": 2**64 + 1,
        "active": True,
        "archived": False,
        "coupon": None,
        "customer": {
            "name": "Åsa Öberg",
            "city": "Göteborg",
            "note": "naïve café \u2013 東京 🍣",
            "address": {"street": "Storgatan 1", "zip": "411 38", "geo": [57.7089, 11.9746]},
        },
        "items": [1, 2.5, "three", [4, {"five": 5}], {}, [], None, True],
        "escapes": 'quote " backslash \\ slash / newline \n tab \t bell \x07 del \x7f',
        "": "empty key",
    }


def sized_data(target: int) -> dict[str, Any]:
    """A dict whose ``json.dumps`` is exactly ``target`` characters long.

    It holds non-ASCII text, so its length counted after ASCII escaping (what 0.29 measures) differs
    from the length of the unescaped text and from its UTF-8 size.
    """

    def build(padding: int) -> dict[str, Any]:
        return {
            "label": "threshold",
            "unicode": "grüße ü € 😀 東京",
            "numbers": [index * 0.5 for index in range(10)],
            "padding": "abcdefghij" * (padding // 10) + "x" * (padding % 10),
        }

    base = len(json.dumps(build(0)))
    data = build(target - base)
    length = len(json.dumps(data))
    if length != target:
        raise RuntimeError(f"sized data is {length} characters, wanted {target}")
    return data


def records_data(count: int = 500) -> list[dict[str, Any]]:
    """A list of order records, far above the compression threshold once serialised."""
    return [
        {
            "id": index,
            "sku": f"SKU-{index:05d}",
            "name": f"Item number {index}",
            "price": round((index * 1.17) % 500, 2),
            "quantity": index % 13,
            "in_stock": index % 3 != 0,
            "tags": [f"tag-{index % 7}", f"group-{index % 11}"],
            "discount": 0.15 if index % 5 == 0 else None,
            "label": "ÄÖÜ" if index % 50 == 0 else "plain",
        }
        for index in range(count)
    ]


def large_proto_value() -> str:
    """A StringValue value whose serialised message is 60001 bytes: one byte over the threshold."""
    # Serialised StringValue: 1 tag byte + 3 length bytes (a varint for 59997) + the value.
    words = "".join(f"word-{index:05d} " for index in range(6000))
    value = words[:59997]
    size = len(StringValue(value=value).SerializeToString())
    if size != COMPRESS_AT + 1:
        raise RuntimeError(f"serialised StringValue is {size} bytes, wanted {COMPRESS_AT + 1}")
    return value


def parsed_fields(parsed: Any) -> dict[str, Any]:
    """The fields of 0.29's parse_message result, without the data value."""
    message, message_uuid, timestamp = parsed
    return {
        "service": message["service"],
        "metadata": message["metadata"],
        "message_uuid": message_uuid,
        "timestamp": timestamp,
        "data_type": type(message["data"]).__name__,
        "data_equals_input": True,
    }


async def make_json_case(json_base: Any, filename: str, data: Any, expected_encoding: str) -> dict[str, Any]:
    payload: str = await json_base.build_message(GoldenService(), JSON_TOPIC, data)
    parsed = await json_base.parse_message(payload)
    message = parsed[0]
    if message["data"] != data:
        raise RuntimeError(f"{filename}: 0.29 did not parse back the data it built")
    if message["metadata"]["data_encoding"] != expected_encoding:
        raise RuntimeError(f"{filename}: data_encoding {message['metadata']['data_encoding']!r}")
    (GOLDEN / filename).write_text(payload, encoding="ascii", newline="")
    return {
        "envelope": "JsonBase",
        "payload_length": len(payload),
        "inputs": {
            "service_name": SERVICE_NAME,
            "service_uuid": SERVICE_UUID,
            "topic": JSON_TOPIC,
            "data_json_length": len(json.dumps(data)),
            "data": data,
        },
        "parsed": parsed_fields(parsed),
    }


async def make_proto_case(
    protobuf_base: Any, filename: str, value: str, expected_encoding: str
) -> dict[str, Any]:
    data = StringValue(value=value)
    payload: str = await protobuf_base.build_message(GoldenService(), PROTO_TOPIC, data)
    parsed = await protobuf_base.parse_message(payload, proto_class=StringValue)
    message = parsed[0]
    if not isinstance(message["data"], StringValue) or message["data"].value != value:
        raise RuntimeError(f"{filename}: 0.29 did not parse back the data it built")
    if message["metadata"]["data_encoding"] != expected_encoding:
        raise RuntimeError(f"{filename}: data_encoding {message['metadata']['data_encoding']!r}")
    (GOLDEN / filename).write_text(payload, encoding="ascii", newline="")
    return {
        "envelope": "ProtobufBase",
        "payload_length": len(payload),
        "inputs": {
            "service_name": SERVICE_NAME,
            "service_uuid": SERVICE_UUID,
            "topic": PROTO_TOPIC,
            "proto_class": PROTO_CLASS,
            "proto_serialised_size": len(data.SerializeToString()),
            "proto_value": value,
        },
        "parsed": parsed_fields(parsed),
    }


async def make_all(envelope: Any) -> dict[str, dict[str, Any]]:
    json_base, protobuf_base = envelope.JsonBase, envelope.ProtobufBase
    return {
        "json_small.txt": await make_json_case(json_base, "json_small.txt", small_data(), "raw"),
        "json_threshold_raw.txt": await make_json_case(
            json_base, "json_threshold_raw.txt", sized_data(COMPRESS_AT - 1), "raw"
        ),
        "json_threshold_compressed.txt": await make_json_case(
            json_base, "json_threshold_compressed.txt", sized_data(COMPRESS_AT), "base64_gzip_json"
        ),
        "json_compressed.txt": await make_json_case(
            json_base, "json_compressed.txt", records_data(), "base64_gzip_json"
        ),
        "protobuf_small.txt": await make_proto_case(
            protobuf_base, "protobuf_small.txt", "hello from 0.29 \u2013 grüße", "proto"
        ),
        "protobuf_compressed.txt": await make_proto_case(
            protobuf_base, "protobuf_compressed.txt", large_proto_value(), "gzip_proto"
        ),
    }


def golden_text(golden: dict[str, Any]) -> str:
    """golden.json as text: indented, except that each data value stays on one line to keep it small."""
    values: dict[str, str] = {}
    for name, case in golden["cases"].items():
        for key in ("data", "proto_value"):
            if key in case["inputs"]:
                placeholder = f"@@{name}:{key}@@"
                values[json.dumps(placeholder)] = json.dumps(case["inputs"][key], ensure_ascii=False)
                case["inputs"][key] = placeholder
    text = json.dumps(golden, indent=2, ensure_ascii=False) + "\n"
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def main() -> int:
    tomodachi: Any = importlib.import_module("tomodachi")
    version = getattr(tomodachi, "__version__", "")
    if version != "0.29.0":
        print(
            f"tomodachi {version or '(unknown)'} found; run this with a Python that has tomodachi==0.29.0",
            file=sys.stderr,
        )
        return 1
    envelope: Any = importlib.import_module("tomodachi.envelope")
    protobuf: Any = importlib.import_module("google.protobuf")

    GOLDEN.mkdir(parents=True, exist_ok=True)
    cases = asyncio.run(make_all(envelope))
    golden = {
        "about": (
            "Payloads built by tomodachi 0.29.0 and the fields its parse_message returned for them. "
            "Each payload file holds exactly the string build_message returned (no trailing newline). "
            "The data given to build_message is under inputs (data, or proto_class and proto_value); "
            "parse_message returned that same data (data_equals_input)."
        ),
        "generated_by": "scripts/make_golden_envelopes.py",
        "tomodachi_version": version,
        "protobuf_version": protobuf.__version__,
        "python_version": sys.version.split()[0],
        "cases": cases,
    }
    text = golden_text(golden)
    (GOLDEN / "golden.json").write_text(text, encoding="utf-8")
    for name in [*cases, "golden.json"]:
        print(f"{(GOLDEN / name).stat().st_size:>8} bytes  {GOLDEN / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
