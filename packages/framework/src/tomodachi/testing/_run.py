"""``start_service`` and ``run_service``: the entry points of in-process service runs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from tomodachi.options import Options

from ._broker import Broker
from ._runner import ServiceSource, ServiceUnderTest


async def start_service(
    *services: ServiceSource,
    options: Mapping[str, Any] | Options | None = None,
    config: Mapping[str, Any] | None = None,
    broker: Broker | None = None,
    http_host: str | None = "127.0.0.1",
    http_port: int | None = 0,
    log_level: int | str = "INFO",
    start_within: float = 30.0,
) -> ServiceUnderTest:
    """Starts services in-process and returns them running; the caller stops them (``await stop()``).

    Options are applied in this order, each over the one before: the class's ``options``, ``config``
    (as a ``tomodachi run -c`` file), ``options`` (a mapping is merged key by key; an ``Options``
    replaces them), the broker's settings, then ``http_host`` and ``http_port``.

    Args:
        *services: Service classes (run together, as the services of one file) and/or service file
            paths (each file's services run).
        options: Option overrides: ``{"aws_sns_sqs.topic_prefix": "test-"}``, nested dicts, or an
            ``Options``.
        config: A ``tomodachi run -c`` style dict: ``"options"`` and other instance attributes.
        broker: An ``InMemoryBroker`` or ``RealBrokers`` (any ``Broker``); ``None`` leaves the
            services' broker options as they are.
        http_host: The HTTP host to bind; ``None`` keeps the service's.
        http_port: The HTTP port; 0 (the default) picks a free one, see ``port``; ``None`` keeps the
            service's.
        log_level: The lowest level captured in ``logs``.
        start_within: Seconds for the services to get to "ready".

    Returns:
        The running services.

    Raises:
        ServiceStartupError: they did not get to "ready" (import error, failing hook, unbindable port,
            no handlers, timeout); they have been stopped, and the error carries the logs.
        ValueError: no services given, or an unknown ``log_level``.
    """
    service = ServiceUnderTest(
        services,
        options=options,
        config=config,
        broker=broker,
        http_host=http_host,
        http_port=http_port,
        log_level=log_level,
    )
    await service.start(start_within)
    return service


@asynccontextmanager
async def run_service(
    *services: ServiceSource,
    options: Mapping[str, Any] | Options | None = None,
    config: Mapping[str, Any] | None = None,
    broker: Broker | None = None,
    http_host: str | None = "127.0.0.1",
    http_port: int | None = 0,
    log_level: int | str = "INFO",
    start_within: float = 30.0,
) -> AsyncIterator[ServiceUnderTest]:
    """Runs services in-process for the ``async with`` block, then stops them.

    ``async with run_service(MyService, broker=InMemoryBroker()) as service: ...``; the arguments are
    those of ``start_service``.

    Yields:
        The running services.

    Raises:
        ServiceStartupError: they did not get to "ready".
    """
    service = await start_service(
        *services,
        options=options,
        config=config,
        broker=broker,
        http_host=http_host,
        http_port=http_port,
        log_level=log_level,
        start_within=start_within,
    )
    try:
        yield service
    finally:
        await service.stop()
