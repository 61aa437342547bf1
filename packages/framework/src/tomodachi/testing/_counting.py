"""Counting the runs of a service's message and scheduled handlers, and waiting for a count.

The runner wraps each handler of a non-HTTP transport (SNS+SQS, AMQP, schedules) in the service
instance's own attributes before the transports are started. The transports bind what the instance
holds under the handler's name, so each run goes through the wrapper, whatever the broker is. A run
that returns counts as handled, one that raises as failed. Waiting never polls: each wait is a
future that the run completing it resolves.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tomodachi._handlers import _handler_functions
from tomodachi_middleware import HANDLER_SPECS_ATTRIBUTE, handler_specs

_NOT_COUNTED = frozenset({"http"})  # HTTP and websocket handlers: a test awaits their response


def handler_name(handler: Any) -> str:
    """The name a handler is counted under: ``handler`` itself when a string, else its ``__name__``.

    Raises:
        TypeError: ``handler`` is neither a string nor has a ``__name__``.
    """
    if isinstance(handler, str):
        return handler
    name = getattr(handler, "__name__", None)
    if not isinstance(name, str):
        raise TypeError(f"expected a handler function or its name, got {handler!r}")
    return name


@dataclass
class _Waiter:
    counter: Counter[str]
    name: str
    count: int
    future: asyncio.Future[None]


class HandlerCounts:
    """How many runs of each handler completed (``handled``) and raised (``failed``)."""

    def __init__(self) -> None:
        self.handled: Counter[str] = Counter()
        self.failed: Counter[str] = Counter()
        self.names: set[str] = set()
        self._waiters: list[_Waiter] = []

    def instrument(self, instance: Any) -> None:
        """Wraps each counted handler of ``instance`` in an instance attribute that counts its runs."""
        for name, function in _handler_functions(type(instance)):
            specs = handler_specs(function)
            if all(getattr(spec.transport, "name", None) in _NOT_COUNTED for spec in specs):
                continue
            bound = getattr(instance, name, None)
            if bound is None or not inspect.iscoroutinefunction(bound):
                continue
            self.names.add(name)
            setattr(instance, name, self._counting(name, bound, specs))

    def _counting(self, name: str, bound: Callable[..., Any], specs: tuple[Any, ...]) -> Callable[..., Any]:
        @functools.wraps(bound)
        async def counted(*args: Any, **kwargs: Any) -> Any:
            try:
                result = await bound(*args, **kwargs)
            except BaseException as exc:
                if not isinstance(exc, asyncio.CancelledError):
                    self._add(self.failed, name)
                raise
            self._add(self.handled, name)
            return result

        setattr(counted, HANDLER_SPECS_ATTRIBUTE, specs)
        return counted

    def _add(self, counter: Counter[str], name: str) -> None:
        counter[name] += 1
        for waiter in list(self._waiters):
            if waiter.counter is counter and waiter.name == name and counter[name] >= waiter.count:
                self._waiters.remove(waiter)
                if not waiter.future.done():
                    waiter.future.set_result(None)

    def known_name(self, handler: Any) -> str:
        """The name of ``handler`` (a function or a name).

        Raises:
            KeyError: the service has no counted handler of that name.
        """
        name = handler_name(handler)
        if name not in self.names:
            known = ", ".join(sorted(self.names)) or "none"
            raise KeyError(f"no message or scheduled handler named {name!r} (counted handlers: {known})")
        return name

    async def wait(self, kind: str, handler: Any, count: int, within: float) -> None:
        """Waits until ``handler`` has ``count`` runs of ``kind`` (``handled`` or ``failed``) in all.

        Raises:
            TimeoutError: not within ``within`` seconds; the message gives the counts.
            KeyError: the service has no counted handler of that name.
        """
        name = self.known_name(handler)
        counter = self.handled if kind == "handled" else self.failed
        if counter[name] >= count:
            return
        waiter = _Waiter(counter, name, count, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter.future, within)
        except TimeoutError:
            raise TimeoutError(
                f"{name}: waited {within}s for {count} {kind} run(s); handled {self.handled[name]}, "
                f"failed {self.failed[name]}"
            ) from None
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
