"""The ``amqp`` section of a service's options, with its nested ``amqp.qos`` section."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from tomodachi_middleware import OptionsSection


class AMQPQoSOptions(OptionsSection, prefix="amqp.qos"):
    """Prefetch limits of the consumer channel, the ``amqp.qos.*`` keys.

    Args:
        queue_prefetch_count: Unacknowledged messages a consumer may hold per queue.
        global_prefetch_count: Unacknowledged messages the channel may hold over all its queues.
        **options: Dotted keys.

    Raises:
        AttributeError: An unknown key was given.
    """

    __slots__ = ("global_prefetch_count", "queue_prefetch_count")

    queue_prefetch_count: int
    global_prefetch_count: int

    def __init__(
        self, *, queue_prefetch_count: int = 100, global_prefetch_count: int = 400, **options: Any
    ) -> None:
        self.queue_prefetch_count = queue_prefetch_count
        self.global_prefetch_count = global_prefetch_count
        if options:
            self.update(options)


class AMQPOptions(OptionsSection, prefix="amqp"):
    """Connection to RabbitMQ, naming and queue settings, the ``amqp.*`` keys.

    Args:
        host: Host name or address of the broker.
        port: Port of the broker.
        login: User name.
        password: Password.
        exchange_name: Topic exchange that messages are published to and queues are bound to.
        routing_key_prefix: Put in front of every routing key.
        queue_name_prefix: Put in front of every queue name.
        virtualhost: Virtual host on the broker.
        ssl: Connect with TLS.
        heartbeat: Heartbeat timeout in seconds, after which the broker considers the peer gone.
        queue_ttl: Seconds an unused queue declared by the service lives (its ``x-expires``).
        qos: The ``amqp.qos`` section, as an ``AMQPQoSOptions`` or a mapping of its keys.
        **options: Dotted keys (``"qos.queue_prefetch_count"``).

    Raises:
        AttributeError: An unknown key was given.
        TypeError: ``qos`` is neither a mapping nor QoS options.
    """

    QOS: ClassVar[type[AMQPQoSOptions]] = AMQPQoSOptions
    """The class of the ``qos`` section that a new instance starts with."""

    __slots__ = (
        "exchange_name",
        "heartbeat",
        "host",
        "login",
        "password",
        "port",
        "qos",
        "queue_name_prefix",
        "queue_ttl",
        "routing_key_prefix",
        "ssl",
        "virtualhost",
    )

    host: str
    port: int
    login: str
    password: str
    exchange_name: str
    routing_key_prefix: str
    queue_name_prefix: str
    virtualhost: str
    ssl: bool
    heartbeat: int
    queue_ttl: int
    qos: AMQPQoSOptions

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 5672,
        login: str = "guest",
        password: str = "guest",
        exchange_name: str = "amq.topic",
        routing_key_prefix: str = "",
        queue_name_prefix: str = "",
        virtualhost: str = "/",
        ssl: bool = False,
        heartbeat: int = 60,
        queue_ttl: int = 86400,
        qos: AMQPQoSOptions | Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        self.host = host
        self.port = port
        self.login = login
        self.password = password
        self.exchange_name = exchange_name
        self.routing_key_prefix = routing_key_prefix
        self.queue_name_prefix = queue_name_prefix
        self.virtualhost = virtualhost
        self.ssl = ssl
        self.heartbeat = heartbeat
        self.queue_ttl = queue_ttl
        self.qos = self.QOS()
        if qos is not None:
            self.update(qos=qos)
        if options:
            self.update(options)
