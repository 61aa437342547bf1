from __future__ import annotations

import asyncio

from tomodachi_middleware import handler_context, reset_handler_context, set_handler_context


def test_no_handler_context_outside_handlers() -> None:
    assert handler_context() is None


async def test_context_set_in_a_handler_task_stays_in_that_task() -> None:
    seen: list[object] = []

    async def handler(name: str) -> None:
        set_handler_context("tomodachi.http.handler", handler=name)
        await asyncio.sleep(0)
        seen.append(handler_context())

    await asyncio.gather(asyncio.create_task(handler("a")), asyncio.create_task(handler("b")))

    assert sorted(seen, key=str) == [
        ("tomodachi.http.handler", {"handler": "a"}),
        ("tomodachi.http.handler", {"handler": "b"}),
    ]
    assert handler_context() is None


def test_reset_restores_the_previous_context() -> None:
    outer = set_handler_context("tomodachi.amqp.handler", handler="outer")
    inner = set_handler_context("tomodachi.amqp.handler", handler="inner")
    reset_handler_context(inner)
    assert handler_context() == ("tomodachi.amqp.handler", {"handler": "outer"})
    reset_handler_context(outer)
    assert handler_context() is None
