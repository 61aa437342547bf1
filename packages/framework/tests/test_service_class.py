"""``tomodachi.Service``, its metaclass and the deprecated ways of defining services."""

import logging
import uuid
from typing import Any

import pytest

import tomodachi
from tomodachi import CLASS_ATTRIBUTE, TOMODACHI_CLASSES, Options, Service, TomodachiServiceMeta
from tomodachi.logging import Logger


def test_class_attribute_name_is_0_29s() -> None:
    assert CLASS_ATTRIBUTE == "_tomodachi_class_is_service_class"


def test_name_defaults_to_service() -> None:
    class Unnamed(Service):
        pass

    class Named(Service):
        name = "orders"

    assert Unnamed.name == "service"
    assert Named.name == "orders"


def test_uuid_is_a_random_uuid4_given_at_class_creation() -> None:
    class First(Service):
        pass

    class Second(Service):
        pass

    assert uuid.UUID(First.uuid).version == 4
    assert First.uuid != Second.uuid
    assert First().uuid == First().uuid == First.uuid


def test_explicit_uuid_is_kept() -> None:
    class Pinned(Service):
        uuid = "6b0e0f3a-0000-4000-8000-000000000001"

    assert Pinned.uuid == "6b0e0f3a-0000-4000-8000-000000000001"


def test_options_default_to_fresh_options_per_class() -> None:
    class First(Service):
        pass

    class Second(Service):
        pass

    assert isinstance(First.options, Options)
    assert First.options is not Second.options
    assert First.options.http.port == Options().http.port


def test_options_given_as_options_are_kept() -> None:
    options = Options(http={"port": 8080})

    class Configured(Service):
        pass

    Configured.options = options

    class Declared(Service):
        options = Options(http={"port": 9090})

    assert Configured.options is options
    assert Declared.options.http.port == 9090


def test_options_given_as_a_dict_become_options_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="dict to 'options' is deprecated"):

        class Legacy(Service):
            options = {"http": {"port": 8080}}  # type: ignore[assignment]  # noqa: RUF012

    options: Any = Legacy.options
    assert isinstance(options, Options)
    assert options.http.port == 8080


def test_options_dict_assigned_on_an_instance_becomes_options_with_a_warning() -> None:
    class Orders(Service):
        pass

    instance = Orders()
    with pytest.warns(DeprecationWarning, match="dict to 'options' is deprecated"):
        instance.options = {"http.port": 8181}  # type: ignore[assignment]

    assert isinstance(instance.options, Options)
    assert instance.options.http.port == 8181


def test_options_of_another_type_are_refused() -> None:
    with pytest.raises(ValueError, match="Invalid value for 'options'"):

        class Broken(Service):
            options = ["http.port", 80]  # type: ignore[assignment]  # noqa: RUF012


def test_only_leaf_classes_carry_the_service_marker() -> None:
    class Base(Service):
        pass

    class Leaf(Base):
        pass

    assert CLASS_ATTRIBUTE not in vars(Base)
    assert vars(Leaf)[CLASS_ATTRIBUTE] is True


def test_marker_moves_to_the_newest_subclass() -> None:
    class Base(Service):
        pass

    marked_before = vars(Base).get(CLASS_ATTRIBUTE)

    class Leaf(Base):
        pass

    class Deeper(Leaf):
        pass

    assert marked_before is True
    assert CLASS_ATTRIBUTE not in vars(Leaf)
    assert vars(Deeper)[CLASS_ATTRIBUTE] is True


def test_every_class_created_is_listed_in_creation_order() -> None:
    class First(Service):
        pass

    class Second(First):
        pass

    assert TOMODACHI_CLASSES[-2:] == [First, Second]
    assert isinstance(First, TomodachiServiceMeta)


def test_logger_defaults_to_the_logger_of_the_current_context() -> None:
    class Orders(Service):
        pass

    instance = Orders()

    assert isinstance(instance.logger, Logger)
    assert instance.logger.name == "tomodachi.service"


def test_logger_follows_the_service_logger_context_variable() -> None:
    class Orders(Service):
        pass

    variable = tomodachi.get_contextvar("service.logger")
    token = variable.set("tomodachi.http.handler")
    try:
        name = Orders().logger.name
    finally:
        variable.reset(token)

    assert name == "tomodachi.http.handler"


def test_logger_can_be_set_and_deleted() -> None:
    class Orders(Service):
        pass

    instance = Orders()
    custom = logging.getLogger("orders.custom")

    instance.logger = custom
    assigned = instance.logger
    del instance.logger

    assert assigned is custom
    assert isinstance(instance.logger, Logger)


def test_logger_defined_by_the_class_is_left_alone() -> None:
    class Orders(Service):
        logger = "my own logger"

    class Child(Orders):
        pass

    assert Orders().logger == "my own logger"
    assert Child().logger == "my own logger"


def test_discovery_attribute_warns_as_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="'discovery' interface is deprecated"):

        class Discovered(Service):
            discovery: list[Any] = []  # noqa: RUF012

    instance = Discovered()
    with pytest.warns(DeprecationWarning, match="'discovery' interface is deprecated"):
        instance.discovery = []


def test_log_warns_and_logs_through_the_service_logger(caplog: pytest.LogCaptureFixture) -> None:
    class Orders(Service):
        pass

    caplog.set_level(logging.INFO)
    with pytest.warns(DeprecationWarning, match=r"service.log\(\) is deprecated"):
        Orders().log("order", 42, level="warning")

    (record,) = caplog.records
    assert (record.name, record.levelno, record.getMessage()) == (
        "tomodachi.service",
        logging.WARNING,
        "order 42",
    )


def test_log_setup_warns_and_does_nothing(caplog: pytest.LogCaptureFixture) -> None:
    class Orders(Service):
        pass

    with pytest.warns(DeprecationWarning, match=r"log_setup\(\) is deprecated"):
        result = Orders().log_setup("ignored", level="debug")  # type: ignore[func-returns-value]

    assert result is None
    assert caplog.records == []


def test_service_decorator_warns_and_makes_a_service_class() -> None:
    class Plain:
        name = "plain"

        async def _start_service(self) -> None:
            pass

    with pytest.warns(DeprecationWarning, match="@tomodachi.service class decorator is deprecated"):
        decorated: Any = tomodachi.service(Plain)

    assert isinstance(decorated, TomodachiServiceMeta)
    assert issubclass(decorated, Service)
    assert issubclass(decorated, Plain)
    assert decorated.__name__ == "Plain"
    assert decorated.name == "plain"
    assert uuid.UUID(decorated.uuid).version == 4
    assert vars(decorated)[CLASS_ATTRIBUTE] is True


def test_service_decorator_returns_a_service_class_unchanged() -> None:
    class Orders(Service):
        pass

    with pytest.warns(DeprecationWarning, match="class decorator is deprecated"):
        assert tomodachi.service(Orders) is Orders
