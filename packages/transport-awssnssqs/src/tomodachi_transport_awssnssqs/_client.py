"""The small client interface over aiobotocore that the rest of the library talks to.

One :class:`AWSClient` holds one SNS, one SQS and (when needed) one STS client, created on first use
and closed together. Every call goes through :meth:`AWSClient.call`, where botocore's and aiohttp's
errors become this library's (see ``_errors``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from ._errors import AWSSNSSQSConnectionException, translate

ServiceName = Literal["sns", "sqs", "sts"]


@dataclass(frozen=True)
class ClientSettings:
    """Where and as whom the clients connect.

    Args:
        region_name: The AWS region; ``None`` for botocore's default chain (``AWS_DEFAULT_REGION``...).
        aws_access_key_id: Access key; ``None`` with the secret for botocore's credential chain
            (environment, profile, instance role; session tokens included).
        aws_secret_access_key: Secret key.
        aws_session_token: Session token of temporary credentials.
        endpoint_urls: Endpoint URL per service (``"sns"``, ``"sqs"``, ``"sts"``), e.g. a moto server.
            STS falls back to the SNS endpoint.
        timeout: Read timeout of each request, in seconds.
    """

    region_name: str | None = None
    aws_access_key_id: str | None = None
    aws_secret_access_key: str | None = None
    aws_session_token: str | None = None
    endpoint_urls: Mapping[str, str | None] | None = None
    timeout: float = 35.0

    @classmethod
    def from_options(cls, aws_sns_sqs: Any, endpoint_urls: Any) -> ClientSettings:
        """Build the settings from the ``aws_sns_sqs`` and ``aws_endpoint_urls`` options sections."""
        urls = {name: getattr(endpoint_urls, name, None) for name in ("sns", "sqs", "sts")}
        return cls(
            region_name=getattr(aws_sns_sqs, "region_name", None),
            aws_access_key_id=getattr(aws_sns_sqs, "aws_access_key_id", None),
            aws_secret_access_key=getattr(aws_sns_sqs, "aws_secret_access_key", None),
            endpoint_urls=urls,
        )

    def endpoint(self, service: ServiceName) -> str | None:
        urls = self.endpoint_urls or {}
        url = urls.get(service)
        if url is None and service == "sts":
            url = urls.get("sns")
        return url


class Client(Protocol):
    """What the library needs of AWS: one method, calling an API operation."""

    async def call(self, service: ServiceName, operation: str, **params: Any) -> dict[str, Any]: ...

    async def close(self) -> None: ...


class AWSClient:
    """SNS, SQS and STS clients over aiobotocore, reused across calls.

    Args:
        settings: Region, credentials and endpoints.
    """

    def __init__(self, settings: ClientSettings) -> None:
        self.settings = settings
        self._stack = contextlib.AsyncExitStack()
        self._clients: dict[str, Any] = {}
        self._lock = asyncio.Lock()
        self._session: Any = None

    async def _client(self, service: ServiceName) -> Any:
        client = self._clients.get(service)
        if client is not None:
            return client
        async with self._lock:
            if service in self._clients:
                return self._clients[service]
            from aiobotocore.config import AioConfig  # type: ignore[import-untyped]
            from aiobotocore.session import get_session  # type: ignore[import-untyped]

            settings = self.settings
            if (settings.aws_access_key_id is None) != (settings.aws_secret_access_key is None):
                raise AWSSNSSQSConnectionException(
                    "Invalid credentials: give both aws_access_key_id and aws_secret_access_key, or neither"
                )
            if self._session is None:
                self._session = get_session()
            config = AioConfig(
                connect_timeout=8,
                read_timeout=settings.timeout,
                max_pool_connections=50,
                retries={"max_attempts": 0},
            )
            try:
                creator = self._session.create_client(
                    service,
                    region_name=settings.region_name,
                    aws_access_key_id=settings.aws_access_key_id,
                    aws_secret_access_key=settings.aws_secret_access_key,
                    aws_session_token=settings.aws_session_token,
                    endpoint_url=settings.endpoint(service),
                    config=config,
                )
                client = await self._stack.enter_async_context(creator)
            except Exception as exc:
                raise translate(exc, f"create {service} client") from exc
            self._clients[service] = client
            return client

    async def call(self, service: ServiceName, operation: str, **params: Any) -> dict[str, Any]:
        """Call an API operation and return its response.

        Args:
            service: ``"sns"``, ``"sqs"`` or ``"sts"``.
            operation: The botocore method name, e.g. ``"publish"``.
            **params: The operation's parameters.

        Returns:
            The response dictionary.

        Raises:
            AWSClientError: AWS answered with an error (``QueueDoesNotExistError`` for a missing queue).
            AWSSNSSQSConnectionException: AWS could not be reached, or credentials or region are missing.
        """
        client = await self._client(service)
        try:
            response: dict[str, Any] = await getattr(client, operation)(**params)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            raise translate(exc, operation) from exc
        return response

    async def close(self) -> None:
        """Close every client; the object may be used again afterwards (new clients are created)."""
        async with self._lock:
            self._clients.clear()
            stack, self._stack = self._stack, contextlib.AsyncExitStack()
            await stack.aclose()


ClientFactory = Callable[[ClientSettings], Client]

_factory: ClientFactory = AWSClient


def new_client(settings: ClientSettings) -> Client:
    """Return a client for ``settings``: an :class:`AWSClient`, unless a test installed another factory.

    Args:
        settings: Region, credentials and endpoints.

    Returns:
        The client every part of the library uses to reach AWS.
    """
    return _factory(settings)


def set_client_factory(factory: ClientFactory | None) -> ClientFactory:
    """Make :func:`new_client` use ``factory`` (``None``: :class:`AWSClient` again); for test helpers.

    Args:
        factory: Called with the settings of each new client.

    Returns:
        The factory in use until now, to put back afterwards.
    """
    global _factory
    previous = _factory
    _factory = factory if factory is not None else AWSClient
    return previous
