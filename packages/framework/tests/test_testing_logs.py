"""The captured log lines of a service under test, and the ways to find them."""

from __future__ import annotations

import logging

import pytest

from tomodachi.testing import Logs
from tomodachi.testing._logs import LogCollector


@pytest.fixture
def logs() -> Logs:
    captured = Logs()
    collector = LogCollector(captured, logging.DEBUG)
    logger = logging.getLogger("tomodachi.test.logs")
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        logging.getLogger("tomodachi.test.logs.child").warning("disk almost full", extra={"free": 3})
        logging.getLogger("tomodachi.test.logs").info("order accepted", extra={"order_id": 7})
        logging.getLogger("tomodachi.test.logs").error("order failed", extra={"order_id": 8})
    finally:
        logger.removeHandler(collector)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    return captured


def test_a_line_keeps_logger_level_message_and_extra_fields(logs: Logs) -> None:
    line = logs[0]
    assert (line.logger, line.level, line.message) == (
        "tomodachi.test.logs.child",
        "warning",
        "disk almost full",
    )
    assert line.fields == {"free": 3}
    assert len(logs) == 3


def test_find_matches_part_of_the_message_and_field_values(logs: Logs) -> None:
    assert [line.message for line in logs.find("order")] == ["order accepted", "order failed"]
    assert [line.fields["order_id"] for line in logs.find(order_id=8)] == [8]
    assert logs.find("order", order_id=9) == []


def test_find_by_logger_includes_its_children_and_by_level(logs: Logs) -> None:
    assert len(logs.find(logger="tomodachi.test")) == 3
    assert logs.find(logger="tomodachi.test.log") == []
    assert [line.message for line in logs.find(level="error")] == ["order failed"]


def test_messages_lists_the_messages_of_a_logger_tree(logs: Logs) -> None:
    assert logs.messages(logger="tomodachi.test.logs.child") == ["disk almost full"]


def test_clear_forgets_the_lines(logs: Logs) -> None:
    logs.clear()
    assert list(logs) == []
