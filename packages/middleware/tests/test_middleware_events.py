from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pytest

from tomodachi_middleware import emit, observe, observed


def test_observer_receives_event_name_and_fields() -> None:
    seen: list[tuple[str, dict[str, Any]]] = []
    unsubscribe = observe(lambda event, fields: seen.append((event, dict(fields))))
    try:
        emit("message.retried", transport="amqp", queue="orders")
    finally:
        unsubscribe()
    assert seen == [("message.retried", {"transport": "amqp", "queue": "orders"})]


def test_unsubscribed_observer_receives_nothing_more() -> None:
    seen: list[str] = []
    unsubscribe = observe(lambda event, fields: seen.append(event))
    emit("connection.lost")
    unsubscribe()
    unsubscribe()
    emit("connection.restored")
    assert seen == ["connection.lost"]
    assert not observed()


def test_failing_observer_is_logged_and_others_still_run(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []

    def broken(event: str, fields: Mapping[str, Any]) -> None:
        raise RuntimeError("broken observer")

    first = observe(broken)
    second = observe(lambda event, fields: seen.append(event))
    try:
        with caplog.at_level(logging.ERROR, logger="tomodachi.events"):
            emit("message.unparseable", queue="q")
    finally:
        first()
        second()
    assert seen == ["message.unparseable"]
    assert "event observer failed" in caplog.text
