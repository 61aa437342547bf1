"""The values the client interface passes around: connection settings and deliveries."""

from __future__ import annotations

import ssl as ssl_module
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Settings:
    """Where and how to connect."""

    host: str = "127.0.0.1"
    port: int = 5672
    login: str = "guest"
    password: str = "guest"
    virtualhost: str = "/"
    ssl: bool | ssl_module.SSLContext = False
    heartbeat: int = 60

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class Delivery:
    """A message received from a queue."""

    body: bytes
    delivery_tag: int
    exchange: str
    routing_key: str
    redelivered: bool
    properties: Any  # aioamqp.properties.Properties, which handlers receive as ``properties``


OnDelivery = Callable[[Delivery], Awaitable[None]]
