"""``tomodachi.invoker``: the base class of 0.29-style transports, and the handler decorator helper.

``decorator`` is ``tomodachi.decorator`` (from ``tomodachi_middleware``). ``Invoker`` lets a transport
written for tomodachi 0.29 (``MyTransport.decorator(MyTransport.handler_func)``) run on the
lifecycle's transport contract; see ``Invoker`` for what is supported.
"""

from tomodachi._invoker import FUNCTION_ATTRIBUTE as FUNCTION_ATTRIBUTE
from tomodachi._invoker import INVOKER_TASK_START_KEYWORD as INVOKER_TASK_START_KEYWORD
from tomodachi._invoker import START_ATTRIBUTE as START_ATTRIBUTE
from tomodachi._invoker import Invoker as Invoker

# The submodule is loaded first, so that ``import tomodachi.invoker.decorator`` later leaves this
# attribute the function.
from .decorator import decorator as decorator

__all__ = [
    "FUNCTION_ATTRIBUTE",
    "INVOKER_TASK_START_KEYWORD",
    "START_ATTRIBUTE",
    "Invoker",
    "decorator",
]
