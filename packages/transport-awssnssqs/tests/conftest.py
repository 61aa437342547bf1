"""A moto server for the whole test session, with dummy credentials in the environment."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from tomodachi_middleware import handler_specs
from tomodachi_transport_awssnssqs import (
    AWSEndpointURLsOptions,
    AWSSNSSQSOptions,
    AWSSNSSQSTransport,
    ConsumerSettings,
    Publisher,
    SNSSQSRuntime,
)
from tomodachi_transport_awssnssqs.testing import (
    DUMMY_CREDENTIALS,
    ManualClock,
    MemoryAWS,
    moto_server,
    moto_settings,
    use_memory_aws,
)


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    previous = {key: os.environ.get(key) for key in DUMMY_CREDENTIALS}
    os.environ.update(DUMMY_CREDENTIALS)
    with moto_server() as url:
        yield url
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


class Options:
    """The two options sections a service gives the transport."""

    def __init__(self, url: str, **sns_sqs: Any) -> None:
        self.aws_sns_sqs = AWSSNSSQSOptions(region_name="us-east-1", **sns_sqs)
        self.aws_endpoint_urls = AWSEndpointURLsOptions(sns=url, sqs=url)


FAST = ConsumerSettings(wait_time=1, retry_initial=0, retry_max=1, outage_initial=0.2, outage_max=1)


class Harness:
    """Starts services' SNS+SQS runtimes against the session's moto server and cleans up after them."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runtimes: list[SNSSQSRuntime] = []
        self.publisher = Publisher(settings=moto_settings(url))

    def options(self, **sns_sqs: Any) -> Options:
        return Options(self.url, **sns_sqs)

    async def start(
        self, service: Any, *, settings: ConsumerSettings = FAST, grace_period: float = 5.0
    ) -> SNSSQSRuntime:
        if getattr(service, "options", None) is None:
            service.options = self.options()
        transport = AWSSNSSQSTransport(settings, grace_period=grace_period)
        specs = [spec for value in vars(type(service)).values() for spec in handler_specs(value)]
        runtime = transport.create_runtime(service, specs)
        self.runtimes.append(runtime)
        await runtime.start()
        await runtime.consume()
        return runtime

    async def stop(self, runtime: SNSSQSRuntime) -> None:
        await runtime.drain()
        await runtime.close()
        if runtime in self.runtimes:
            self.runtimes.remove(runtime)

    @staticmethod
    def unique(name: str) -> str:
        return f"{name}-{uuid.uuid4().hex[:10]}"

    @staticmethod
    async def eventually(check: Callable[[], bool], within: float = 15.0) -> None:
        deadline = asyncio.get_running_loop().time() + within
        while not check():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("condition not met in time")
            await asyncio.sleep(0.05)

    async def call(self, service: str, operation: str, **params: Any) -> dict[str, Any]:
        return await self.publisher.client.call(service, operation, **params)  # type: ignore[arg-type]

    async def queue_attributes(self, queue_url: str) -> dict[str, str]:
        response = await self.call("sqs", "get_queue_attributes", QueueUrl=queue_url, AttributeNames=["All"])
        return dict(response.get("Attributes", {}))

    async def close(self) -> None:
        for runtime in list(self.runtimes):
            await self.stop(runtime)
        await self.publisher.close()


@pytest.fixture
async def harness(moto_url: str) -> AsyncIterator[Harness]:
    harness = Harness(moto_url)
    yield harness
    await harness.close()


class MemoryHarness(Harness):
    """Starts services' runtimes against an in-memory AWS on a manual clock (installed while it lives)."""

    def __init__(self) -> None:
        self.aws = MemoryAWS(clock=ManualClock())
        self._installed = use_memory_aws(self.aws)
        self._installed.__enter__()
        super().__init__("http://memory.invalid")

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            self._installed.__exit__(None, None, None)


@pytest.fixture
async def memory() -> AsyncIterator[MemoryHarness]:
    harness = MemoryHarness()
    yield harness
    await harness.close()
