"""``tomodachi.helpers.execution_context``: 0.29's import path of the registry functions."""

import tomodachi
from tomodachi.helpers import execution_context


def test_functions_are_the_facade_functions() -> None:
    assert execution_context.get_service is tomodachi.get_service
    assert execution_context.get_services is tomodachi.get_services
    assert execution_context.get_instance is tomodachi.get_instance
    assert execution_context.get_execution_context is tomodachi.get_execution_context
    assert execution_context.set_execution_context is tomodachi.set_execution_context
    assert execution_context.increase_execution_context_value is tomodachi.increase_execution_context_value
    assert execution_context.decrease_execution_context_value is tomodachi.decrease_execution_context_value


def test_registry_functions_keep_their_0_29_names() -> None:
    service = object()

    execution_context.set_service("orders", service)
    registered = tomodachi.get_service("orders")
    execution_context.unset_service("orders")

    assert registered is service
    assert tomodachi.get_service("orders") is None


def test_clear_functions_empty_the_registry_and_the_context() -> None:
    execution_context.set_service("orders", object())
    tomodachi.set_execution_context({"http_enabled": True})

    execution_context.clear_services()
    execution_context.clear_execution_context()

    assert tomodachi.get_services() == []
    assert tomodachi.get_execution_context() == {}
