"""Importing a service file given on the command line."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from types import ModuleType

from ._service import CLASS_ATTRIBUTE, TomodachiServiceMeta
from .logging import get_logger


class ServiceFileError(ImportError):
    """The service file does not exist or cannot be imported as a module."""


def resolve_service_file(name: str) -> str:
    """The absolute path of a service file given as ``path/to/service`` or ``path/to/service.py``.

    Raises:
        ServiceFileError: there is no such file.
    """
    path = os.path.realpath(name if name.endswith(".py") else f"{name}.py")
    if not os.path.isfile(path):
        raise ServiceFileError(f"no such service file: {name}")
    return path


def _import_in_package(path: str) -> ModuleType | None:
    """Imports ``<parent folder>.<module>`` so that relative imports in the service file work."""
    folder = os.path.dirname(path)
    package, module = os.path.basename(folder), os.path.basename(path)[:-3]
    if (
        not package.isidentifier()
        or package in sys.builtin_module_names
        or package in sys.stdlib_module_names
    ):
        if package.isidentifier():
            get_logger("tomodachi.importer").warning(
                "invalid service package name or parent name may conflict with builtin python modules - "
                "change parent folder name",
                package_name=package,
            )
        return None
    name = f"{package}.{module}"
    sys.path.insert(0, os.path.dirname(folder))
    try:
        found = importlib.util.find_spec(name)
    except (ImportError, AttributeError):
        return None
    if found is None or found.origin is None or os.path.realpath(found.origin) != path:
        return None  # the folder name is taken by another package
    sys.modules.pop(name, None)
    return importlib.import_module(name)


def import_service_file(name: str) -> ModuleType:
    """Imports the service file ``name`` (relative to the current directory).

    Raises:
        ServiceFileError: there is no such file.
        Exception: whatever executing the module raises.
    """
    path = resolve_service_file(name)
    cwd = os.getcwd()
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    module = _import_in_package(path)
    if module is not None:
        return module
    module_name = os.path.basename(path)[:-3]
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ServiceFileError(f"cannot import service file: {name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def service_classes(module: ModuleType) -> list[type]:
    """The service classes to start from a module: leaf ``tomodachi.Service`` subclasses in it."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, TomodachiServiceMeta)
        and vars(value).get(CLASS_ATTRIBUTE) is True
        and value.__bases__ != (object,)  # tomodachi.Service itself, imported into the module
    ]
