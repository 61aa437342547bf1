"""Older import path of ``tomodachi.invoker.Invoker`` and its constants."""

from tomodachi._invoker import FUNCTION_ATTRIBUTE as FUNCTION_ATTRIBUTE
from tomodachi._invoker import INVOKER_TASK_START_KEYWORD as INVOKER_TASK_START_KEYWORD
from tomodachi._invoker import START_ATTRIBUTE as START_ATTRIBUTE
from tomodachi._invoker import Invoker as Invoker

__all__ = ["FUNCTION_ATTRIBUTE", "INVOKER_TASK_START_KEYWORD", "START_ATTRIBUTE", "Invoker"]
