"""Named context variables: ``tomodachi.get_contextvar`` and ``tomodachi.context``."""

import asyncio
import contextvars

import tomodachi


def test_context_variable_is_named_after_its_key_and_defaults_to_none() -> None:
    variable = tomodachi.get_contextvar("test.fresh_key")

    assert isinstance(variable, contextvars.ContextVar)
    assert variable.name == "tomodachi.test.fresh_key"
    assert variable.get() is None


def test_same_key_gives_the_same_variable() -> None:
    assert tomodachi.get_contextvar("test.same") is tomodachi.get_contextvar("test.same")
    assert tomodachi.get_contextvar("test.same") is not tomodachi.get_contextvar("test.other")


def test_context_of_a_key_never_created_is_none_and_creates_nothing() -> None:
    assert tomodachi.context("test.never_created") is None
    assert tomodachi.context("test.never_created") is None

    variable = tomodachi.get_contextvar("test.never_created")
    token = variable.set("now set")
    try:
        assert tomodachi.context("test.never_created") == "now set"
    finally:
        variable.reset(token)


def test_context_is_the_current_value() -> None:
    variable = tomodachi.get_contextvar("test.current")
    token = variable.set(42)
    try:
        assert tomodachi.context("test.current") == 42
    finally:
        variable.reset(token)

    assert tomodachi.context("test.current") is None


async def test_value_set_in_a_task_stays_in_that_task() -> None:
    variable = tomodachi.get_contextvar("test.per_task")

    async def handler() -> object:
        variable.set("inside")
        return tomodachi.context("test.per_task")

    inside = await asyncio.create_task(handler())

    assert inside == "inside"
    assert tomodachi.context("test.per_task") is None
