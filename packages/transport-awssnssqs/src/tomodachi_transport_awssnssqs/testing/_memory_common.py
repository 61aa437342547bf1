"""What the in-memory SNS and SQS share: errors as the library raises them, parameter checks, attributes."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from tomodachi_transport_awssnssqs._errors import (
    AWSClientError,
    AWSSNSSQSConnectionException,
    QueueDoesNotExistError,
)

NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue"
MAX_MESSAGE_BYTES = 262144


def client_error(operation: str, code: str, message: str) -> AWSClientError:
    """Return the library's error for an AWS error response, as ``_errors.translate`` builds it."""
    kind = QueueDoesNotExistError if code == NON_EXISTENT_QUEUE else AWSClientError
    return kind(f"{operation} failed: {code}: {message}", code=code, operation=operation)


def check_params(
    operation: str, params: Mapping[str, Any], required: Iterable[str] = (), optional: Iterable[str] = ()
) -> None:
    """Refuse missing and unknown parameters, as botocore does before sending a request.

    Raises:
        AWSSNSSQSConnectionException: what the library makes of botocore's ``ParamValidationError``.
    """
    required = set(required)
    missing = sorted(required - set(params))
    unknown = sorted(set(params) - required - set(optional))
    if missing or unknown:
        detail = "; ".join(
            [f'Missing required parameter in input: "{name}"' for name in missing]
            + [f'Unknown parameter in input: "{name}"' for name in unknown]
        )
        raise AWSSNSSQSConnectionException(
            f"{operation}: ParamValidationError: Parameter validation failed: {detail}"
        )


def message_size(body: str, attributes: Mapping[str, Mapping[str, Any]]) -> int:
    """The size AWS counts against the 256 KiB limit: body, attribute names, types and values."""
    size = len(body.encode("utf-8"))
    for name, value in attributes.items():
        size += len(name.encode()) + len(str(value.get("DataType", "")).encode())
        if "BinaryValue" in value:
            size += len(binary(value["BinaryValue"]))
        else:
            size += len(str(value.get("StringValue", "")).encode())
    return size


def binary(value: Any) -> bytes:
    """A ``BinaryValue`` as bytes (botocore takes bytes, or text that it encodes)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")


_NAME = re.compile(r"^[A-Za-z0-9_\-.]{1,256}$")


def validate_attributes(
    operation: str, attributes: Any, code: str, *, allow: tuple[str, ...], limit: int = 10
) -> dict[str, dict[str, Any]]:
    """Check message attributes in botocore's form and return a clean copy.

    Args:
        operation: The API operation, for the error.
        attributes: ``{name: {"DataType": ..., "StringValue" | "BinaryValue": ...}}``.
        code: The error code of the service (``InvalidParameterValue``).
        allow: The base data types the service knows (``String.Array`` is a kind of ``String``).
        limit: How many attributes a message may carry.

    Returns:
        The attributes, binary values as bytes.

    Raises:
        AWSClientError: an attribute is malformed.
    """
    if not attributes:
        return {}
    if not isinstance(attributes, Mapping) or len(attributes) > limit:
        raise client_error(
            operation, code, f"Number of message attributes [{len(attributes)}] exceeds {limit}"
        )
    result: dict[str, dict[str, Any]] = {}
    for name, value in attributes.items():
        if not isinstance(name, str) or not _NAME.match(name) or name.startswith(("AWS.", "Amazon.")):
            raise client_error(operation, code, f"Message attribute name '{name}' is invalid")
        data_type = str((value or {}).get("DataType", ""))
        base = data_type.split(".", 1)[0]
        if base not in allow:
            raise client_error(
                operation, code, f"The message attribute '{name}' has an invalid message attribute type"
            )
        if base == "Binary":
            if "BinaryValue" not in value:
                raise client_error(
                    operation, code, f"The message attribute '{name}' must contain a binary value"
                )
            result[name] = {"DataType": data_type, "BinaryValue": binary(value["BinaryValue"])}
            continue
        text = value.get("StringValue")
        if not isinstance(text, str) or text == "":
            raise client_error(
                operation,
                code,
                f"The message attribute '{name}' must contain non-empty message attribute value",
            )
        if base == "Number":
            try:
                float(text)
            except ValueError:
                raise client_error(
                    operation, code, f"Could not cast message attribute '{name}' value to number."
                ) from None
        result[name] = {"DataType": data_type, "StringValue": text}
    return result


def body_attributes(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Message attributes in the ``{"Type", "Value"}`` form of an SNS notification (binary as base64)."""
    result: dict[str, dict[str, str]] = {}
    for name, value in attributes.items():
        if "BinaryValue" in value:
            text = base64.b64encode(binary(value["BinaryValue"])).decode("ascii")
        else:
            text = str(value["StringValue"])
        result[name] = {"Type": str(value["DataType"]), "Value": text}
    return result


def md5_of_attributes(attributes: Mapping[str, Mapping[str, Any]]) -> str:
    """The MD5 digest SQS gives of message attributes (length-prefixed name, type, transport, value)."""
    digest = hashlib.md5(usedforsecurity=False)

    def field(data: bytes) -> None:
        digest.update(len(data).to_bytes(4, "big") + data)

    for name in sorted(attributes):
        value = attributes[name]
        field(name.encode("utf-8"))
        field(str(value["DataType"]).encode("utf-8"))
        if "BinaryValue" in value:
            digest.update(b"\x02")
            field(binary(value["BinaryValue"]))
        else:
            digest.update(b"\x01")
            field(str(value["StringValue"]).encode("utf-8"))
    return digest.hexdigest()


def md5_of(text: str) -> str:
    """The MD5 digest of a message body."""
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def timestamp_ms(moment: float) -> str:
    """Milliseconds since the epoch, as SQS gives its timestamps."""
    return str(int(moment * 1000))
