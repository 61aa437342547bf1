"""Routing keys and queue names, as tomodachi 0.29 writes them, so both share queues on one broker."""

from __future__ import annotations

import hashlib
import re

DEFAULT_EXCHANGE = "amq.topic"

# Characters a routing key may carry as they are; any other is written as ``___<hex of its utf-8>_``.
_UNSAFE = re.compile(r"([^a-zA-Z0-9_*#,;.:<>!\"%&/()\[\]{}\\=?'^`~+|@$ -])")
_ENCODED = re.compile(r"___([a-f0-9]{2}|[a-f0-9]{4}|[a-f0-9]{6}|[a-f0-9]{8})_")


def encode_routing_key(routing_key: str) -> str:
    """Return ``routing_key`` with characters outside the safe set written as ``___<hex>_``.

    Args:
        routing_key: A routing key or binding pattern; ``*`` and ``#`` pass unchanged.

    Returns:
        The encoded key, as tomodachi 0.29 sends and binds it.
    """
    return _UNSAFE.sub(lambda match: "___" + match.group(1).encode("utf-8").hex() + "_", routing_key)


def decode_routing_key(encoded: str) -> str:
    """Return the routing key that ``encode_routing_key`` turned into ``encoded``.

    Args:
        encoded: An encoded routing key.

    Returns:
        The original key.
    """
    return _ENCODED.sub(lambda match: bytes.fromhex(match.group(1)).decode("utf-8"), encoded)


def prefixed_routing_key(routing_key: str, prefix: str | None) -> str:
    """Return the encoded key with ``prefix`` in front, as published and bound.

    Args:
        routing_key: The key (or pattern) as the service wrote it.
        prefix: ``options.amqp.routing_key_prefix`` or a publish override; ``None``/``""`` for none.

    Returns:
        The encoded, prefixed key.
    """
    return encode_routing_key(f"{prefix or ''}{routing_key}")


def queue_name(
    routing_key: str,
    *,
    handler_name: str,
    service_uuid: str,
    competing: bool,
    queue_name: str | None = None,
    prefix: str = "",
) -> str:
    """Return the queue a handler consumes from, named as tomodachi 0.29 names it.

    An explicit ``queue_name`` is used with the prefix in front. Otherwise the name is the sha256
    of the encoded (unprefixed) routing key for competing consumers, and of the routing key, the
    handler's name and the service's uuid for a queue of its own.

    Args:
        routing_key: The routing key or pattern of the decorator.
        handler_name: The handler function's ``__name__``.
        service_uuid: The service instance's ``uuid``.
        competing: Whether consumers of every instance share the queue.
        queue_name: The decorator's explicit queue name.
        prefix: ``options.amqp.queue_name_prefix``.

    Returns:
        The full queue name.
    """
    if queue_name is not None:
        return f"{prefix}{queue_name}"
    encoded = encode_routing_key(routing_key)
    source = encoded if competing else f"{encoded}{handler_name}{service_uuid}"
    return f"{prefix}{hashlib.sha256(source.encode('utf-8')).hexdigest()}"


def retry_queue_name(queue: str, delay_ms: int) -> str:
    """Return the queue where failed messages of ``queue`` wait ``delay_ms`` before coming back."""
    return f"{queue}.retry.{delay_ms}"


def dead_letter_queue_name(queue: str) -> str:
    """Return the queue where messages of ``queue`` go once they cannot be handled."""
    return f"{queue}.dlq"
