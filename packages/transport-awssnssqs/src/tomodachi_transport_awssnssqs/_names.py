"""SNS topic and SQS queue names, made exactly as tomodachi 0.29 makes them."""

from __future__ import annotations

import binascii
import hashlib
import re
import string

from ._errors import AWSSNSSQSException

_ALLOWED = frozenset(string.digits + string.ascii_letters + "-_")
_ENCODE = re.compile(r"(?!\.fifo$)([^a-zA-Z0-9_*#-])")
_DECODE = re.compile(r"___([a-f0-9]{2}|[a-f0-9]{4}|[a-f0-9]{6}|[a-f0-9]{8})_")


def encode_topic(topic: str) -> str:
    """Return ``topic`` with each character outside ``[A-Za-z0-9_*#-]`` as ``___<utf-8 hex>_``.

    The dot of a final ``.fifo`` stays.
    """
    return _ENCODE.sub(lambda m: "___" + binascii.hexlify(m.group(1).encode()).decode() + "_", topic)


def decode_topic(encoded: str) -> str:
    """Reverse :func:`encode_topic`."""
    return _DECODE.sub(lambda m: binascii.unhexlify(m.group(1).encode()).decode(), encoded)


def topic_name(topic: str, prefix: str | None, fifo: bool) -> str:
    """Return the SNS name of ``topic``: prefixed, with ``.fifo`` for a FIFO topic."""
    name = f"{prefix or ''}{topic}"
    if fifo and not name.endswith(".fifo"):
        name += ".fifo"
    return name


def topic_from_arn(arn: str, prefix: str | None) -> str:
    """Return the unprefixed, decoded topic of a topic ARN."""
    name = decode_topic(arn.rsplit(":", 1)[-1])
    if prefix and name.startswith(prefix):
        return name[len(prefix) :]
    return name


def _check(kind: str, name: str, limit: int) -> None:
    if len(name) > limit:
        raise AWSSNSSQSException(f"{kind} name ({name}) is too long.")
    # 0.29 strips the characters of ".fifo" from the end (not the suffix) before checking.
    if not set(name.rstrip(".fio")) <= _ALLOWED:
        raise AWSSNSSQSException(
            f"{kind} name ({name}) may only contain alphanumeric characters, hyphens (-), "
            "and underscores (_)."
        )


def validate_topic_name(topic: str) -> None:
    """Raise :class:`AWSSNSSQSException` when SNS would refuse ``topic`` (as 0.29 checks it)."""
    _check("Topic", topic, 256)


def validate_queue_name(queue_name: str) -> None:
    """Raise :class:`AWSSNSSQSException` when SQS would refuse ``queue_name`` (as 0.29 checks it)."""
    _check("Queue", queue_name, 80)


def generated_queue_name(
    topic: str, handler_name: str, service_uuid: str, *, competing: bool, prefix: str | None, fifo: bool
) -> str:
    """Return the queue name 0.29 generates for a handler given no ``queue_name``.

    Args:
        topic: The unprefixed topic.
        handler_name: The handler function's name.
        service_uuid: The service's uuid.
        competing: Whether every instance of the service shares the queue.
        prefix: ``aws_sns_sqs.queue_name_prefix``.
        fifo: Whether the queue is FIFO.

    Returns:
        ``prefix + sha256(...)`` (``+ ".fifo"``).
    """
    encoded = encode_topic(topic)
    source = encoded if competing else f"{encoded}{handler_name}{service_uuid}"
    name = f"{prefix or ''}{hashlib.sha256(source.encode()).hexdigest()}"
    if fifo and not name.endswith(".fifo"):
        name += ".fifo"
    return name


def wildcard_pattern(encoded_prefixed_topic: str) -> re.Pattern[str]:
    """Return the pattern of topic ARNs that a wildcard topic (``*`` one segment, ``#`` any) matches."""
    parts = []
    for char in encoded_prefixed_topic:
        if char == "*":
            parts.append(r"((?!___2e_).)*")
        elif char == "#":
            parts.append(".*")
        else:
            parts.append(re.escape(char))
    return re.compile(r"^arn:aws:sns:[^:]+:[^:]+:" + "".join(parts) + "$")
