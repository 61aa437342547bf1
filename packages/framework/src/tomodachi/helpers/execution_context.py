"""Older import path of the service registry and execution context functions.

The same functions as ``tomodachi.get_service``, ``tomodachi.get_execution_context`` and so on, under
the names tomodachi 0.29 gave them here (``set_service``, ``clear_services``, ...).
"""

from tomodachi._execution_context import _clear_execution_context as clear_execution_context
from tomodachi._execution_context import _clear_services as clear_services
from tomodachi._execution_context import _set_service as set_service
from tomodachi._execution_context import _unset_service as unset_service
from tomodachi._execution_context import decrease_execution_context_value as decrease_execution_context_value
from tomodachi._execution_context import get_execution_context as get_execution_context
from tomodachi._execution_context import get_instance as get_instance
from tomodachi._execution_context import get_service as get_service
from tomodachi._execution_context import get_services as get_services
from tomodachi._execution_context import increase_execution_context_value as increase_execution_context_value
from tomodachi._execution_context import set_execution_context as set_execution_context

__all__ = [
    "clear_execution_context",
    "clear_services",
    "decrease_execution_context_value",
    "get_execution_context",
    "get_instance",
    "get_service",
    "get_services",
    "increase_execution_context_value",
    "set_execution_context",
    "set_service",
    "unset_service",
]
