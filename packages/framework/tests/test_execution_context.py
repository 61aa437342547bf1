"""The service registry and the execution context (``tomodachi.get_service`` and friends)."""

import pytest

import tomodachi
from tomodachi import _execution_context as registry


class Named:
    def __init__(self, name: str) -> None:
        self.name = name


def test_no_service_is_registered_at_first() -> None:
    assert tomodachi.get_service() is None
    assert tomodachi.get_service("orders") is None
    assert tomodachi.get_services() == []


def test_service_without_a_name_is_the_most_recently_registered_one() -> None:
    orders, billing = Named("orders"), Named("billing")

    registry._set_service("orders", orders)
    registry._set_service("billing", billing)

    assert tomodachi.get_service() is billing


def test_service_with_a_name_is_the_one_registered_under_it() -> None:
    orders, billing = Named("orders"), Named("billing")
    registry._set_service("orders", orders)
    registry._set_service("billing", billing)

    assert tomodachi.get_service("orders") is orders
    assert tomodachi.get_service("shipping") is None


def test_get_instance_is_get_service() -> None:
    orders = Named("orders")
    registry._set_service("orders", orders)

    assert tomodachi.get_instance is tomodachi.get_service
    assert tomodachi.get_instance("orders") is orders


def test_services_are_listed_in_registration_order() -> None:
    orders, billing = Named("orders"), Named("billing")

    registry._set_service("orders", orders)
    registry._set_service("billing", billing)

    assert tomodachi.get_services() == [orders, billing]


def test_same_name_replaces_the_earlier_service() -> None:
    first, second = Named("service"), Named("service")

    registry._set_service("service", first)
    registry._set_service("service", second)

    assert tomodachi.get_service("service") is second
    assert tomodachi.get_services() == [second]


def test_unset_service_forgets_it_and_the_previous_one_becomes_current() -> None:
    orders, billing = Named("orders"), Named("billing")
    registry._set_service("orders", orders)
    registry._set_service("billing", billing)

    registry._unset_service("billing")
    registry._unset_service("no such service")

    assert tomodachi.get_service("billing") is None
    assert tomodachi.get_service() is orders
    assert tomodachi.get_services() == [orders]


def test_set_execution_context_adds_to_the_live_dict() -> None:
    context = tomodachi.get_execution_context()

    tomodachi.set_execution_context({"http_enabled": True})
    tomodachi.set_execution_context({"http_current_tasks": 0})

    assert context == {"http_enabled": True, "http_current_tasks": 0}
    assert tomodachi.get_execution_context() is context


def test_counters_start_at_zero_and_return_their_new_value() -> None:
    assert tomodachi.increase_execution_context_value("http_total_tasks") == 1
    assert tomodachi.increase_execution_context_value("http_total_tasks", 5) == 6
    assert tomodachi.decrease_execution_context_value("http_total_tasks") == 5
    assert tomodachi.decrease_execution_context_value("http_current_tasks", 2) == -2
    assert tomodachi.get_execution_context() == {"http_total_tasks": 5, "http_current_tasks": -2}


@pytest.mark.parametrize("value", ["3", 1.5, None])
def test_counter_over_a_value_that_is_not_an_int_raises_type_error(value: object) -> None:
    tomodachi.set_execution_context({"label": value})

    with pytest.raises(TypeError, match="'label' is not a counter"):
        tomodachi.increase_execution_context_value("label")
    with pytest.raises(TypeError):
        tomodachi.decrease_execution_context_value("label")

    assert tomodachi.get_execution_context()["label"] == value


def test_clear_execution_context_empties_it_in_place() -> None:
    context = tomodachi.get_execution_context()
    tomodachi.set_execution_context({"http_enabled": True})

    registry._clear_execution_context()

    assert context == {}


def test_transport_runtimes_show_in_the_context_with_live_task_counters() -> None:
    class Runtime:
        current_tasks = 0
        total_tasks = 0

    first, second = Runtime(), Runtime()
    registry._track_runtime("schedule", first)
    registry._track_runtime("schedule", second)
    registry._track_runtime("http", Runtime())
    first.current_tasks, first.total_tasks = 2, 5
    second.total_tasks = 1

    context = registry.get_execution_context()

    assert context["scheduled_functions_enabled"] is True
    assert context["scheduled_functions_current_tasks"] == 2
    assert context["scheduled_functions_total_tasks"] == 6
    http = (context["http_enabled"], context["http_current_tasks"], context["http_total_tasks"])
    assert http == (True, 0, 0)
    registry._clear_execution_context()
    assert registry.get_execution_context() == {}
