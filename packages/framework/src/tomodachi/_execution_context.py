"""The process's service registry and execution context.

Both are per process: a second replica of a service has its own, and nothing here is shared
between processes.
"""

from __future__ import annotations

from typing import Any

_services: dict[str, Any] = {}
_current: list[Any] = []
_execution_context: dict[str, Any] = {}
_runtimes: list[tuple[str, Any]] = []

# The execution-context prefix of each transport, and the libraries whose versions it reports.
_TRANSPORT_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "http": ("http", ("aiohttp",)),
    "aws_sns_sqs": ("aws_sns_sqs", ("aiobotocore", "aiohttp", "botocore")),
    "amqp": ("amqp", ("aioamqp",)),
    "schedule": ("scheduled_functions", ()),
}


def _track_runtime(transport_name: str, runtime: Any) -> None:
    """Reports a transport runtime in the execution context: enabled, its task counters, versions."""
    import sys

    _runtimes.append((transport_name, runtime))
    prefix, libraries = _TRANSPORT_FIELDS.get(transport_name, (transport_name, ()))
    _execution_context[f"{prefix}_enabled"] = True
    for library in libraries:
        version = getattr(sys.modules.get(library), "__version__", None)
        if isinstance(version, str):
            _execution_context[f"{library}_version"] = version
    _refresh_task_counters()


def _refresh_task_counters() -> None:
    totals: dict[str, list[int]] = {}
    for transport_name, runtime in _runtimes:
        prefix = _TRANSPORT_FIELDS.get(transport_name, (transport_name, ()))[0]
        counts = totals.setdefault(prefix, [0, 0])
        counts[0] += int(getattr(runtime, "current_tasks", 0))
        counts[1] += int(getattr(runtime, "total_tasks", 0))
    for prefix, (current, total) in totals.items():
        _execution_context[f"{prefix}_current_tasks"] = current
        _execution_context[f"{prefix}_total_tasks"] = total


def _set_service(name: str, instance: Any) -> None:
    replaced = _services.get(name)
    if replaced is not None and replaced in _current:
        _current.remove(replaced)  # a service registered under the same name is replaced
    _services[name] = instance
    _current.append(instance)


def _unset_service(name: str) -> None:
    instance = _services.pop(name, None)
    if instance is not None and instance in _current:
        _current.remove(instance)


def _clear_services() -> None:
    _services.clear()
    _current.clear()


def get_service(name: str | None = None) -> Any:
    """The running service instance called ``name``; without a name, the most recently registered one.

    Returns:
        The instance, or ``None`` when there is no such service.
    """
    if name is None:
        return _current[-1] if _current else None
    return _services.get(name)


get_instance = get_service


def get_services() -> list[Any]:
    """Every registered service instance, in registration order."""
    return list(_current)


def set_execution_context(values: dict[str, Any]) -> None:
    """Adds ``values`` to the execution context."""
    _execution_context.update(values)


def get_execution_context() -> dict[str, Any]:
    """The process's execution context: versions, process id, transports in use and task counters.

    The dict is live: it changes as the service runs, and the task counters are read afresh from the
    transports on each call.
    """
    if _runtimes:
        _refresh_task_counters()
    return _execution_context


def increase_execution_context_value(key: str, value: int = 1) -> int:
    """Adds ``value`` to the counter ``key`` (0 when missing) and returns the new value."""
    current = _execution_context.get(key, 0)
    if not isinstance(current, int):
        raise TypeError(f"execution context value {key!r} is not a counter: {current!r}")
    _execution_context[key] = current + value
    return current + value


def decrease_execution_context_value(key: str, value: int = 1) -> int:
    """Subtracts ``value`` from the counter ``key`` and returns the new value."""
    return increase_execution_context_value(key, -value)


def _clear_execution_context() -> None:
    _execution_context.clear()
    _runtimes.clear()
