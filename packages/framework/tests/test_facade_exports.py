"""The names ``import tomodachi`` offers, as tomodachi 0.29 offered them, and the lightness of the import."""

import json
import subprocess
import sys
import types

import pytest

import tomodachi

SUBMODULES = [
    "cli",
    "discovery",
    "envelope",
    "helpers",
    "invoker",
    "logging",
    "options",
    "protocol",
    "transport",
    "validation",
]


def test_every_name_in_all_is_reachable() -> None:
    missing = [name for name in tomodachi.__all__ if not hasattr(tomodachi, name)]

    assert missing == []


@pytest.mark.parametrize("name", SUBMODULES)
def test_submodule_is_reachable_as_an_attribute(name: str) -> None:
    module = getattr(tomodachi, name)

    assert isinstance(module, types.ModuleType)
    assert module.__name__ == f"tomodachi.{name}"


def test_unknown_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'tomodachi' has no attribute 'no_such_name'"):
        _ = tomodachi.no_such_name


def test_private_registry_functions_of_0_29_are_there() -> None:
    service = object()

    tomodachi._set_service("orders", service)
    registered = tomodachi.get_service("orders")
    tomodachi._unset_service("orders")
    tomodachi.set_execution_context({"key": 1})
    tomodachi._clear_execution_context()
    tomodachi._set_service("orders", service)
    tomodachi._clear_services()

    assert registered is service
    assert tomodachi.get_execution_context() == {}
    assert tomodachi.get_services() == []


def test_options_and_logging_names_are_the_submodules_ones() -> None:
    assert tomodachi.Options is tomodachi.options.Options
    assert tomodachi.OptionsInterface is tomodachi.options.OptionsInterface
    assert tomodachi.get_logger is tomodachi.logging.get_logger
    assert tomodachi.Logger is tomodachi.logging.Logger


def imported_by_import_tomodachi(packages: tuple[str, ...]) -> list[str]:
    code = (
        "import json, sys, tomodachi; "
        f"print(json.dumps(sorted(name for name in sys.modules if name.split('.')[0] in {packages!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported: list[str] = json.loads(result.stdout)
    return imported


def test_import_loads_no_broker_client_and_no_development_tool() -> None:
    assert imported_by_import_tomodachi(("aiobotocore", "botocore", "aioamqp", "watchfiles", "uvloop")) == []


def test_import_loads_no_http_server() -> None:
    assert imported_by_import_tomodachi(("aiohttp", "yarl", "multidict")) == []
