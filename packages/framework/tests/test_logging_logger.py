import asyncio
import logging
from typing import Any

import pytest
import structlog

from tomodachi.logging import (
    CONTEXT_ATTRIBUTE,
    DEFAULT_LOGGER_NAME,
    Logger,
    LoggerProtocol,
    bind_logger,
    configure,
    get_logger,
    getLogger,
    reset,
)


def _context(record: logging.LogRecord) -> Any:
    return vars(record)[CONTEXT_ATTRIBUTE]


def test_named_logger_is_bound_with_its_name() -> None:
    logger = get_logger("my.app")

    assert isinstance(logger, Logger)
    assert isinstance(logger, structlog.stdlib.BoundLogger)
    assert logger.name == "my.app"
    assert structlog.get_context(logger) == {"logger": "my.app"}
    assert getLogger("my.app") is logger


def test_events_become_stdlib_records_that_carry_their_fields(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    get_logger("my.app").bind(order_id=42).info("order accepted", amount=10)

    (record,) = caplog.records
    assert (record.name, record.levelno, record.getMessage()) == ("my.app", logging.INFO, "order accepted")
    assert _context(record) == {"logger": "my.app", "order_id": 42, "amount": 10}


def test_records_point_at_the_calling_function(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    get_logger("my.app").info("here")

    (record,) = caplog.records
    assert record.funcName == "test_records_point_at_the_calling_function"
    assert record.pathname == __file__


def test_disabled_levels_produce_no_record(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    logger = get_logger("my.app")
    logger.debug("d")
    logger.info("i")
    logger.warning("w")

    assert [record.getMessage() for record in caplog.records] == ["w"]


@pytest.mark.parametrize(
    ("method", "level"),
    [
        ("debug", logging.DEBUG),
        ("info", logging.INFO),
        ("msg", logging.INFO),
        ("warning", logging.WARNING),
        ("warn", logging.WARNING),
        ("error", logging.ERROR),
        ("exception", logging.ERROR),
        ("critical", logging.CRITICAL),
        ("fatal", logging.CRITICAL),
    ],
)
def test_each_method_logs_at_its_level(caplog: pytest.LogCaptureFixture, method: str, level: int) -> None:
    caplog.set_level(logging.DEBUG)
    getattr(get_logger("my.app"), method)("event")

    assert [record.levelno for record in caplog.records] == [level]


def test_log_takes_a_level_number_or_name(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    logger = get_logger("my.app")
    logger.log(logging.WARNING, "by number")
    logger.log("error", "by name")

    assert [(record.levelno, record.getMessage()) for record in caplog.records] == [
        (logging.WARNING, "by number"),
        (logging.ERROR, "by name"),
    ]


def test_exception_records_the_exception_being_handled(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        get_logger("my.app").exception("failed")

    (record,) = caplog.records
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError


def test_bind_new_and_unbind_return_new_loggers() -> None:
    base = get_logger("my.app")
    bound = base.bind(a=1, b=2)

    assert structlog.get_context(bound) == {"logger": "my.app", "a": 1, "b": 2}
    assert structlog.get_context(bound.unbind("a")) == {"logger": "my.app", "b": 2}
    assert structlog.get_context(bound.new(c=3)) == {"logger": "my.app", "c": 3}
    assert structlog.get_context(bound) == {"logger": "my.app", "a": 1, "b": 2}
    assert structlog.get_context(base) == {"logger": "my.app"}


def test_get_logger_without_a_name_is_the_service_logger_by_default() -> None:
    assert DEFAULT_LOGGER_NAME == "tomodachi.service"
    assert get_logger().name == "tomodachi.service"


async def test_get_logger_without_a_name_returns_the_logger_bound_in_the_task() -> None:
    async def handler() -> tuple[str, Any, Any]:
        bind_logger(get_logger("tomodachi.http.handler").bind(handler="orders", type="tomodachi.http"))
        logger = get_logger()
        return logger.name, structlog.get_context(logger), get_logger("tomodachi.http.handler") is logger

    name, context, same = await asyncio.create_task(handler())

    assert name == "tomodachi.http.handler"
    assert context == {"logger": "tomodachi.http.handler", "handler": "orders", "type": "tomodachi.http"}
    assert same
    assert get_logger().name == "tomodachi.service"


async def test_bound_loggers_of_concurrent_tasks_stay_apart() -> None:
    async def handler(name: str) -> str:
        bind_logger(name)
        await asyncio.sleep(0)
        return get_logger().name

    names = await asyncio.gather(handler("tomodachi.amqp.handler"), handler("tomodachi.schedule.handler"))

    assert list(names) == ["tomodachi.amqp.handler", "tomodachi.schedule.handler"]


def test_reset_forgets_the_bound_logger() -> None:
    bind_logger(get_logger("tomodachi.lifecycle.handler"))
    reset()

    assert get_logger().name == "tomodachi.service"


async def test_async_methods_log_in_the_calling_task(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    await get_logger("my.app").ainfo("async", n=1)

    (record,) = caplog.records
    assert _context(record) == {"logger": "my.app", "n": 1}
    assert record.funcName == "test_async_methods_log_in_the_calling_task"


def test_stdlib_loggers_and_ours_meet_the_protocol(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    loggers: list[LoggerProtocol] = [logging.getLogger("plain"), get_logger("structured")]
    for logger in loggers:
        logger.info("hello")

    assert [record.name for record in caplog.records] == ["plain", "structured"]


def test_structlog_get_logger_is_routed_while_configured(capsys: pytest.CaptureFixture[str]) -> None:
    configure("info", "json")
    structlog.get_logger("via.structlog").info("routed", n=1)

    err = capsys.readouterr().err
    assert '"logger": "via.structlog"' in err
    assert '"n": 1' in err
    reset()
    assert not structlog.is_configured()


def test_structlog_get_logger_without_a_name_uses_the_calling_module(
    caplog: pytest.LogCaptureFixture,
) -> None:
    configure("info", "json")
    caplog.set_level(logging.INFO)
    class_before = logging.getLoggerClass()
    structlog.get_logger().info("guessed")

    (record,) = caplog.records
    assert record.name == __name__
    assert logging.getLoggerClass() is class_before


def test_a_structlog_configuration_of_the_program_is_kept() -> None:
    structlog.configure(processors=[structlog.processors.KeyValueRenderer()])
    try:
        configure("info", "json")
        reset()
        assert structlog.is_configured()
        assert structlog.get_config()["wrapper_class"] is not Logger
    finally:
        structlog.reset_defaults()


async def test_logger_of_a_running_handler_carries_its_name_and_fields() -> None:
    import asyncio

    from tomodachi_middleware import set_handler_context

    async def handler() -> tuple[str, dict[str, object]]:
        set_handler_context("tomodachi.amqp.handler", handler="on_order", type="tomodachi.amqp")
        logger = get_logger()
        return logger.name, dict(logger._context)

    name, fields = await asyncio.create_task(handler())

    assert name == "tomodachi.amqp.handler"
    assert fields == {"logger": "tomodachi.amqp.handler", "handler": "on_order", "type": "tomodachi.amqp"}
    assert get_logger().name == "tomodachi.service"
