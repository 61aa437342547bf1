"""``tomodachi.Service``: the base class of services, and its metaclass."""

from __future__ import annotations

import uuid as uuid_module
import warnings
from typing import Any, ClassVar

from ._contextvars import context
from .logging import get_logger
from .options import Options

CLASS_ATTRIBUTE = "_tomodachi_class_is_service_class"

# Every service class created in this process, in creation order.
TOMODACHI_CLASSES: list[type] = []


def _as_options(value: Any) -> Options:
    if isinstance(value, Options):
        return value
    if not isinstance(value, dict):
        raise ValueError("Invalid value for 'options' attribute: use tomodachi.Options")
    warnings.warn(
        "Assigning a dict to 'options' is deprecated: use tomodachi.Options(...) instead",
        DeprecationWarning,
        stacklevel=3,
    )
    return Options(**value)


def _warn_discovery() -> None:
    warnings.warn(
        "The 'discovery' interface is deprecated: use the lifecycle hooks (_started_service, _stop_service)",
        DeprecationWarning,
        stacklevel=3,
    )


class _LoggerProperty:
    """``service.logger``: the logger of the current handler context, unless one was assigned."""

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        assigned = instance.__dict__.get("_tomodachi_logger")
        return assigned if assigned is not None else get_logger(context("service.logger"))

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__["_tomodachi_logger"] = value

    def __delete__(self, instance: Any) -> None:
        instance.__dict__.pop("_tomodachi_logger", None)


class TomodachiServiceMeta(type):
    """Gives each service class its defaults and marks only leaf classes as services to start."""

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> TomodachiServiceMeta:
        namespace = dict(namespace)
        namespace[CLASS_ATTRIBUTE] = True
        if bases and "logger" not in namespace and not any(hasattr(base, "logger") for base in bases):
            namespace["logger"] = _LoggerProperty()
        cls = super().__new__(mcs, name, bases, namespace)
        if bases:
            if not getattr(cls, "uuid", None):
                cls.uuid = str(uuid_module.uuid4())  # type: ignore[attr-defined]
            if not getattr(cls, "name", None):
                cls.name = "service"  # type: ignore[attr-defined]
            options = getattr(cls, "options", None)
            cls.options = _as_options(options) if options else Options()  # type: ignore[attr-defined]
            if "discovery" in namespace:
                _warn_discovery()
        # A class used as a base is no longer a service of its own: only leaf classes start.
        for base in bases:
            if CLASS_ATTRIBUTE in vars(base):
                delattr(base, CLASS_ATTRIBUTE)
        TOMODACHI_CLASSES.append(cls)
        return cls


class Service(metaclass=TomodachiServiceMeta):
    """Base class of tomodachi services.

    Class attributes read by the framework: ``name`` (default ``"service"``), ``uuid`` (a random
    uuid4 when empty), ``options`` (a ``tomodachi.Options``), ``message_envelope``,
    ``http_middleware``, ``message_middleware``. Lifecycle hooks, all optional and sync or async:
    ``_start_service``, ``_started_service``, ``_stopping_service``, ``_stop_service``.
    """

    _tomodachi_class_is_service_class: ClassVar[bool] = False
    name: str = ""
    uuid: str = ""
    options: Options
    logger: Any

    def __setattr__(self, item: str, value: Any) -> None:
        if item == "options":
            value = _as_options(value)
        elif item == "discovery":
            _warn_discovery()
        super().__setattr__(item, value)

    def log(self, *args: Any, **kwargs: Any) -> None:
        """Deprecated: use ``tomodachi.get_logger()``."""
        warnings.warn(
            "service.log() is deprecated: use tomodachi.get_logger() instead",
            DeprecationWarning,
            stacklevel=2,
        )
        level = kwargs.pop("level", "info")
        message = " ".join(str(arg) for arg in args)
        logger = get_logger(context("service.logger"))
        getattr(logger, str(level).lower(), logger.info)(message)

    def log_setup(self, *args: Any, **kwargs: Any) -> None:
        """Deprecated and without effect: logging is set up by ``tomodachi run``."""
        warnings.warn("service.log_setup() is deprecated and has no effect", DeprecationWarning, stacklevel=2)


def service(cls: type) -> type:
    """Deprecated class decorator: turns a plain class into a ``tomodachi.Service`` subclass."""
    warnings.warn(
        "the @tomodachi.service class decorator is deprecated: inherit from tomodachi.Service instead",
        DeprecationWarning,
        stacklevel=2,
    )
    if isinstance(cls, TomodachiServiceMeta):
        return cls
    namespace = {key: value for key, value in vars(cls).items() if key not in ("__dict__", "__weakref__")}
    return TomodachiServiceMeta(cls.__name__, (Service, cls), namespace)
