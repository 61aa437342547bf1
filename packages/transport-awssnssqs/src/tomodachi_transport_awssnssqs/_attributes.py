"""Message attributes between Python values and SNS/SQS's encodings, as tomodachi 0.29 writes them.

``str`` is ``String``; ``int``, ``float`` and ``Decimal`` are ``Number``; ``bytes`` is ``Binary``; ``bool``,
``None`` and ``list`` are ``String.Array`` holding JSON; anything else is the ``String`` of ``str()``.
"""

from __future__ import annotations

import base64
import decimal
import json
from collections.abc import Mapping
from typing import Any


def _typed(value: Any) -> tuple[str, Any]:
    if isinstance(value, str):
        return "String", value
    if value is None or isinstance(value, bool | list):
        return "String.Array", json.dumps(value)
    if isinstance(value, int | float | decimal.Decimal):
        return "Number", str(value)
    if isinstance(value, bytes):
        return "Binary", value
    return "String", str(value)


def to_botocore(attributes: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Return ``attributes`` as the ``MessageAttributes`` of SNS Publish or SQS SendMessage."""
    result: dict[str, dict[str, Any]] = {}
    for name, value in attributes.items():
        kind, encoded = _typed(value)
        key = "BinaryValue" if kind == "Binary" else "StringValue"
        result[name] = {"DataType": kind, key: encoded}
    return result


def to_body_metadata(attributes: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """Return ``attributes`` in the ``{"Type", "Value"}`` form of an SNS notification body."""
    result: dict[str, dict[str, str]] = {}
    for name, value in attributes.items():
        kind, encoded = _typed(value)
        if isinstance(encoded, bytes):
            encoded = base64.b64encode(encoded).decode("ascii")
        result[name] = {"Type": kind, "Value": encoded}
    return result


def _first(values: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in values:
            return values[key]
    raise KeyError(keys[0])


def from_response(attributes: Mapping[str, Any]) -> dict[str, Any]:
    """Decode message attributes from an SQS message or an SNS notification body (camelCase too)."""
    result: dict[str, Any] = {}
    for name, values in attributes.items():
        if not isinstance(values, Mapping):
            continue
        try:
            kind = _first(values, "DataType", "Type", "dataType", "type")
            value = _first(
                values, "StringValue", "BinaryValue", "Value", "stringValue", "binaryValue", "value"
            )
        except KeyError:
            continue
        if kind == "String":
            result[name] = value
        elif kind == "Number":
            result[name] = float(value) if "." in value else int(value)
        elif kind == "Binary":
            result[name] = base64.b64decode(value.encode("ascii")) if isinstance(value, str) else value
        elif kind == "String.Array":
            result[name] = json.loads(value)
    return result
