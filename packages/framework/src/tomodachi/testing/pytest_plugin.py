"""The ``tomodachi`` pytest plugin: fixtures to run services with in-memory or real brokers.

Installed with tomodachi (the ``pytest11`` entry point ``tomodachi``); ``-p no:tomodachi`` turns it
off. It adds fixtures, an option and a marker, and changes nothing else in a test run.

Fixtures:
    tomodachi_broker: An ``InMemoryBroker`` (default), or ``RealBrokers`` on a moto server started
        once per session and RabbitMQ on ``TOMODACHI_TEST_AMQP_URL`` (default
        ``amqp://guest:guest@127.0.0.1:5672/``), with a name prefix of its own per test
        (``t<8 hex digits>-`` before every topic, queue and routing key prefix).
    tomodachi_clock: The broker's clock: a ``FakeClock`` in memory, the real one otherwise.
    tomodachi_service: A factory, ``service = await tomodachi_service(MyService, options={...})``,
        taking ``start_service``'s arguments (``broker`` defaults to ``tomodachi_broker``); every
        service it started is stopped at teardown, and the loop's AMQP publishers are closed.
        Needs pytest-asyncio.

The broker mode, first found: the marker ``@pytest.mark.tomodachi_brokers("memory" | "real")``, the
option ``--tomodachi-brokers=memory|real``, the environment variable ``TOMODACHI_TEST_BROKERS``,
else ``memory``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tomodachi.testing import InMemoryBroker, RealBrokers, ServiceUnderTest

INSTALL_LINE = "pip install 'tomodachi[testing]'"
MODES = ("memory", "real")
ENV_MODE = "TOMODACHI_TEST_BROKERS"
ENV_AMQP_URL = "TOMODACHI_TEST_AMQP_URL"

StartService = Callable[..., Awaitable["ServiceUnderTest"]]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Adds ``--tomodachi-brokers``."""
    group = parser.getgroup("tomodachi", "tomodachi services")
    group.addoption(
        "--tomodachi-brokers",
        choices=MODES,
        default=None,
        help=f"brokers for the tomodachi_broker fixture: memory (default) or real (moto and RabbitMQ); "
        f"also ${ENV_MODE}",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Registers the ``tomodachi_brokers`` marker."""
    config.addinivalue_line(
        "markers", 'tomodachi_brokers(mode): run the test with "memory" or "real" tomodachi brokers'
    )


def broker_mode(request: pytest.FixtureRequest) -> str:
    """The broker mode of a test: its marker, else ``--tomodachi-brokers``, else the environment.

    Raises:
        pytest.UsageError: an unknown mode.
    """
    marker = request.node.get_closest_marker("tomodachi_brokers")
    mode: Any = None
    if marker is not None:
        mode = marker.args[0] if marker.args else marker.kwargs.get("mode")
    if mode is None:
        mode = request.config.getoption("--tomodachi-brokers", default=None)
    if mode is None:
        mode = os.environ.get(ENV_MODE) or "memory"
    if mode not in MODES:
        raise pytest.UsageError(f"tomodachi brokers must be 'memory' or 'real', not {mode!r}")
    return str(mode)


@pytest.fixture(scope="session")
def tomodachi_moto_url() -> Iterator[str]:
    """A moto server for the session (started on first use); its URL."""
    try:
        from tomodachi_transport_awssnssqs.testing import moto_server
    except ImportError as exc:  # pragma: no cover - the transport is a dependency of tomodachi
        pytest.fail(f"real brokers need moto: {INSTALL_LINE} ({exc})")
    try:
        with moto_server() as url:
            yield url
    except RuntimeError as exc:
        pytest.fail(f"{exc}; real brokers need moto: {INSTALL_LINE}")


@pytest.fixture
def tomodachi_broker(request: pytest.FixtureRequest) -> Iterator[InMemoryBroker | RealBrokers]:
    """The brokers of the test: in memory, or a moto server and RabbitMQ (see the module docstring)."""
    from tomodachi.testing import InMemoryBroker, RealBrokers

    if broker_mode(request) == "real":
        url = request.getfixturevalue("tomodachi_moto_url")
        amqp_url = os.environ.get(ENV_AMQP_URL) or "amqp://guest:guest@127.0.0.1:5672/"
        # A prefix of its own per test: queues outlive a test on a shared server, and a long poll
        # left open by a stopped consumer would take the next test's message.
        prefix = f"t{uuid.uuid4().hex[:8]}-"
        yield RealBrokers(sns_sqs_endpoint=url, amqp=amqp_url, name_prefix=prefix)
        return
    with InMemoryBroker() as broker:
        yield broker


@pytest.fixture
def tomodachi_clock(tomodachi_broker: InMemoryBroker | RealBrokers) -> Any:
    """The clock of the test's brokers: ``await tomodachi_clock.advance(seconds)``."""
    return tomodachi_broker.clock


async def _service_factory(
    tomodachi_broker: InMemoryBroker | RealBrokers,
) -> AsyncIterator[StartService]:
    """``service = await tomodachi_service(MyService, options=...)``; stopped at teardown."""
    from tomodachi.testing import start_service

    started: list[ServiceUnderTest] = []

    async def start(*services: Any, **kwargs: Any) -> ServiceUnderTest:
        kwargs.setdefault("broker", tomodachi_broker)
        service = await start_service(*services, **kwargs)
        started.append(service)
        return service

    yield start
    from tomodachi_transport_amqp import close_publishers

    try:
        errors: list[Exception] = []
        for service in reversed(started):
            try:  # one service that does not stop in time must not keep the others running
                await service.stop()
            except Exception as exc:
                errors.append(exc)
        if errors:
            raise errors[0]
    finally:
        await close_publishers()  # amqp_publish's cached connections must not outlive the test's broker


def _without_pytest_asyncio() -> None:
    """Unavailable: pytest-asyncio is not installed."""
    pytest.fail(f"the tomodachi_service fixture needs pytest-asyncio: {INSTALL_LINE}")


tomodachi_service: Any
try:
    import pytest_asyncio
except ImportError:
    tomodachi_service = pytest.fixture(_without_pytest_asyncio, name="tomodachi_service")
else:
    tomodachi_service = pytest_asyncio.fixture(_service_factory, name="tomodachi_service")
