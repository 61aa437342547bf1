"""``amqp_publish``: build the envelope, publish on the topic exchange, wait for the confirm."""

from __future__ import annotations

import asyncio
import inspect
from functools import partial
from typing import Any

from tomodachi_middleware import PUBLISH_INTERCEPTORS, Publication, intercepted

from ._errors import AmqpConfigurationError
from ._naming import DEFAULT_EXCHANGE, prefixed_routing_key
from ._publisher import PUBLISH_RETRY_SECONDS, publisher_for
from ._spec import MESSAGE_ENVELOPE_DEFAULT, MESSAGE_ROUTING_KEY_PREFIX
from ._values import Settings

PERSISTENT = 2
_PROPERTIES = {"delivery_mode": PERSISTENT}


def amqp_options(service: Any) -> Any:
    """Return ``service.options.amqp``, or the library's defaults when the service has none."""
    options = getattr(getattr(service, "options", None), "amqp", None)
    if options is None:
        from ._options import AMQPOptions

        options = AMQPOptions()
    return options


def settings_from(options: Any) -> Settings:
    """Return the connection settings of an ``amqp`` options section."""
    return Settings(
        host=str(options.host),
        port=int(options.port),
        login=str(options.login),
        password=str(options.password),
        virtualhost=str(options.virtualhost),
        ssl=options.ssl or False,
        heartbeat=int(options.heartbeat),
    )


async def amqp_publish(
    service: Any,
    data: Any,
    routing_key: str = "",
    exchange_name: str = "",
    wait: bool = True,
    *,
    message_envelope: Any = MESSAGE_ENVELOPE_DEFAULT,
    message_protocol: Any = MESSAGE_ENVELOPE_DEFAULT,
    routing_key_prefix: Any = MESSAGE_ROUTING_KEY_PREFIX,
    retry_for: float = PUBLISH_RETRY_SECONDS,
    **kwargs: Any,
) -> asyncio.Task[None] | None:
    """Publish ``data`` on a topic exchange; return once the broker has confirmed it.

    The message is persistent. While the broker cannot be reached the publish waits and tries
    again for up to ``retry_for`` seconds.

    Args:
        service: The sending service (its ``options.amqp``, ``message_envelope``, ``name`` and
            ``uuid`` are read).
        data: What to send: given to the envelope, or a ``str``/``bytes`` body without one.
        routing_key: The routing key; ``options.amqp.routing_key_prefix`` goes in front.
        exchange_name: The exchange; ``""`` for ``options.amqp.exchange_name`` (``amq.topic``).
        wait: ``False`` returns at once with a task that publishes.
        message_envelope: The envelope; ``None`` sends ``data`` as it is; left out for the
            service's ``message_envelope``.
        message_protocol: The old name of ``message_envelope``.
        routing_key_prefix: Overrides ``options.amqp.routing_key_prefix`` (``None``/``""``: none).
        retry_for: Seconds to keep trying while the broker cannot be reached.
        **kwargs: Passed to the envelope's ``build_message``.

    Returns:
        ``None``, or the publishing task when ``wait`` is ``False``.

    Raises:
        AmqpPublishError: no confirm within ``retry_for`` seconds.
        AmqpChannelClosed: the broker refused the publish (the exchange does not exist).
        AmqpConfigurationError: without an envelope, ``data`` is neither ``str`` nor ``bytes``.
    """
    if message_envelope is MESSAGE_ENVELOPE_DEFAULT and message_protocol is not MESSAGE_ENVELOPE_DEFAULT:
        message_envelope = message_protocol
    if message_envelope is MESSAGE_ENVELOPE_DEFAULT:
        message_envelope = getattr(service, "message_envelope", None) or getattr(
            service, "message_protocol", None
        )
    payload = data
    build = getattr(message_envelope, "build_message", None) if message_envelope else None
    if build is not None:
        payload = build(service, routing_key, data, **kwargs)
        if inspect.isawaitable(payload):
            payload = await payload
    if isinstance(payload, str):
        body = payload.encode("utf-8")
    elif isinstance(payload, bytes | bytearray | memoryview):
        body = bytes(payload)
    else:
        raise AmqpConfigurationError(
            f"amqp_publish without an envelope sends str or bytes, not {type(payload).__name__}"
        )
    options = amqp_options(service)
    exchange = exchange_name or options.exchange_name or DEFAULT_EXCHANGE
    prefix = (
        options.routing_key_prefix if routing_key_prefix is MESSAGE_ROUTING_KEY_PREFIX else routing_key_prefix
    )
    key = prefixed_routing_key(routing_key, prefix)
    publisher = publisher_for(settings_from(options))
    if PUBLISH_INTERCEPTORS:
        headers: dict[str, Any] = {}
        publication = Publication(
            "amqp", "amqp.publish", routing_key, headers, service, details={"exchange_name": exchange}
        )
        properties = {**_PROPERTIES, "headers": headers}
        send = partial(publisher.publish, body, exchange, key, properties, retry_for=retry_for)
        publishing = intercepted(publication, send)
    else:
        publishing = publisher.publish(body, exchange, key, _PROPERTIES, retry_for=retry_for)
    if wait:
        await publishing
        return None
    return asyncio.ensure_future(publishing)
