"""The tomodachi pytest plugin, as a project sees it: small test files run in a pytest of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

INI = """
[pytest]
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""

SERVICE = """
import pytest
import tomodachi
from tomodachi_envelope import JsonBase


class Orders(tomodachi.Service):
    name = "plugin-orders"
    message_envelope = JsonBase
    options = tomodachi.Options(aws_sns_sqs=tomodachi.Options.AWSSNSSQS(queue_name_prefix=PREFIX))

    @tomodachi.aws_sns_sqs(PREFIX + "order-created", queue_name="orders")
    async def on_order(self, data):
        await tomodachi.amqp_publish(self, data, routing_key=PREFIX + "order.stored")

    @tomodachi.amqp(PREFIX + "order.stored", queue_name=PREFIX + "stored")
    async def on_stored(self, data):
        tomodachi.get_logger().info("stored", order_id=data["id"])
"""

MODE_TEST = """
@pytest.mark.asyncio
async def test_mode(tomodachi_broker, tomodachi_service):
    service = await tomodachi_service(Orders)
    await tomodachi.aws_sns_sqs_publish(service.instance, {"id": 5}, topic=PREFIX + "order-created")
    await service.wait_for_handled(Orders.on_stored, within=30)
    assert service.logs.first("stored").fields["order_id"] == 5
    print("BROKER MODE", tomodachi_broker.mode)
"""


def write_tests(pytester: pytest.Pytester, *bodies: str) -> None:
    prefix = pytester.path.name.replace("_", "-")[-20:] + "-"
    pytester.makefile(".ini", pytest=INI)
    pytester.makepyfile(test_service=f"PREFIX = {prefix!r}\n" + SERVICE + "".join(bodies))


def test_the_broker_is_in_memory_by_default(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        MODE_TEST,
        """
def test_clock(tomodachi_broker, tomodachi_clock):
    from tomodachi_scheduler.testing import FakeClock

    assert isinstance(tomodachi_clock, FakeClock)
    assert tomodachi_clock is tomodachi_broker.clock
""",
    )
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*BROKER MODE memory*"])


def test_the_option_runs_the_same_test_against_moto_and_rabbitmq(pytester: pytest.Pytester) -> None:
    write_tests(pytester, MODE_TEST)
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider", "--tomodachi-brokers=real")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*BROKER MODE real*"])


def test_the_environment_variable_chooses_real_brokers(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOMODACHI_TEST_BROKERS", "real")
    write_tests(
        pytester, "\ndef test_mode(tomodachi_broker):\n    print('BROKER MODE', tomodachi_broker.mode)\n"
    )
    result = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*BROKER MODE real*"])


def test_a_marker_chooses_the_brokers_of_one_test(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
@pytest.mark.tomodachi_brokers("memory")
def test_memory(tomodachi_broker):
    assert tomodachi_broker.mode == "memory"


def test_option(tomodachi_broker):
    assert tomodachi_broker.mode == "real"
""",
    )
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", "--tomodachi-brokers=real", "--strict-markers"
    )
    result.assert_outcomes(passed=2)


def test_an_unknown_mode_is_a_usage_error(pytester: pytest.Pytester) -> None:
    write_tests(
        pytester,
        """
@pytest.mark.tomodachi_brokers("cloud")
def test_cloud(tomodachi_broker):
    pass
""",
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*tomodachi brokers must be 'memory' or 'real', not 'cloud'*"])
    assert result.ret != 0


def test_without_pytest_asyncio_the_service_fixture_fails_with_the_install_line(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shadow = tmp_path / "shadow" / "pytest_asyncio"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named pytest_asyncio')\n")
    monkeypatch.setenv("PYTHONPATH", str(shadow.parent))
    pytester.makefile(".ini", pytest="[pytest]\nfilterwarnings = error\n")
    pytester.makepyfile(
        test_plain="""
def test_unrelated():
    assert 1 + 1 == 2


def test_service(tomodachi_service):
    pass
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:asyncio")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.re_match_lines([r".*needs pytest-asyncio: pip install 'tomodachi\[testing\]'.*"])
