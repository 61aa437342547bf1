"""Importing the service files given to ``tomodachi run``, and picking the service classes in them."""

import logging
import os
import sys
from pathlib import Path

import pytest

import tomodachi
from tomodachi._importer import ServiceFileError, import_service_file, resolve_service_file, service_classes

pytestmark = pytest.mark.usefixtures("isolated_imports")


def write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source)
    return path


def test_file_is_resolved_with_or_without_the_py_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "services" / "orders.py", "")
    monkeypatch.chdir(tmp_path)

    assert resolve_service_file("services/orders.py") == str(path)
    assert resolve_service_file("services/orders") == str(path)


def test_missing_file_raises_service_file_error(tmp_path: Path) -> None:
    with pytest.raises(ServiceFileError, match="no such service file"):
        import_service_file(str(tmp_path / "missing.py"))

    assert issubclass(ServiceFileError, ImportError)


def test_file_is_imported_as_a_module_of_its_folder_so_relative_imports_work(tmp_path: Path) -> None:
    write(tmp_path / "shop_app" / "settings.py", "REGION = 'eu-north-1'\n")
    path = write(tmp_path / "shop_app" / "service.py", "from .settings import REGION\n")

    module = import_service_file(str(path))

    assert module.__name__ == "shop_app.service"
    assert module.REGION == "eu-north-1"
    assert sys.modules["shop_app.service"] is module


def test_file_in_a_folder_that_is_not_a_package_name_is_imported_from_its_location(tmp_path: Path) -> None:
    path = write(tmp_path / "my-services" / "billing_service.py", "VALUE = 7\n")

    module = import_service_file(str(path))

    assert module.__name__ == "billing_service"
    assert module.VALUE == 7
    assert module.__file__ == str(path)


def test_folder_named_like_a_standard_module_warns_and_imports_from_the_location(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path / "email" / "mailer_service.py", "VALUE = 'sent'\n")

    module = import_service_file(str(path))

    assert module.__name__ == "mailer_service"
    assert module.VALUE == "sent"
    (record,) = [record for record in caplog.records if record.name == "tomodachi.importer"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("invalid service package name or parent name may conflict")


def test_current_directory_is_put_on_the_import_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "shared_settings.py", "NAME = 'from cwd'\n")
    path = write(tmp_path / "my-services" / "uses_cwd.py", "from shared_settings import NAME\n")
    monkeypatch.chdir(tmp_path)

    module = import_service_file(os.path.relpath(path, tmp_path))

    assert module.NAME == "from cwd"


def test_exception_raised_by_the_module_propagates(tmp_path: Path) -> None:
    path = write(tmp_path / "my-services" / "broken_service.py", "raise RuntimeError('broken at import')\n")

    with pytest.raises(RuntimeError, match="broken at import"):
        import_service_file(str(path))


SERVICES = """
import tomodachi
from tomodachi import Service


class Base(tomodachi.Service):
    pass


class Leaf(Base):
    name = "leaf"


class Other(tomodachi.Service):
    name = "other"


class Plain:
    pass
"""


def test_service_classes_are_the_leaf_service_classes_of_the_module(tmp_path: Path) -> None:
    path = write(tmp_path / "my-services" / "several.py", SERVICES)

    module = import_service_file(str(path))

    assert [cls.__name__ for cls in service_classes(module)] == ["Leaf", "Other"]
    assert tomodachi.Service not in service_classes(module)
