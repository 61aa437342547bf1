"""Per-call cost of a three-middleware chain, against awaiting the handler directly.

The chain is HTTP-shaped (positional slots ``service`` and ``request``, transport keyword ``request``):
- ``outer(func, service, request)`` awaits ``func()``;
- ``tracing(func, *, request)`` awaits ``func(trace_id=...)``, adding a keyword;
- ``inner(func)`` awaits ``func()``;
each returns what ``func`` returned, and the handler returns 1.

Implementations:
- ``ours``: ``tomodachi_middleware.compose``, built once, then awaited per call;
- ``tomodachi029``: tomodachi 0.29's ``tomodachi.helpers.middleware.execute_middlewares(func,
  routine_func, middlewares, *args, **kwargs)``, as its HTTP transport calls it (it also binds the
  logger per step and runs every step in its own task).

Metrics: ``per_call_ns`` (one chain call), ``direct_ns`` (awaiting the handler alone, in the same
interpreter) and ``overhead_ns`` (their difference). Each is the best of several timed batches in one
event loop, after a checked warm-up call.

Run through ``bench/run.py``, or alone: ``python bench/middleware_chain.py --impl ours [--quick]``.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from _convention import bench_main

NAME = "middleware_chain"
IMPLS = ("ours", "tomodachi029")

Call = Callable[[], Awaitable[Any]]


class BenchService:
    """Stands in for the service instance: the middlewares only receive it."""

    name = "bench-service"


SERVICE = BenchService()
REQUEST = object()


async def handler(*args: Any, **kwargs: Any) -> int:
    return 1


async def outer(func: Callable[..., Awaitable[Any]], service: Any, request: Any) -> Any:
    return await func()


async def tracing(func: Callable[..., Awaitable[Any]], *, request: Any) -> Any:
    return await func(trace_id="4bf92f3577b34da6")


async def inner(func: Callable[..., Awaitable[Any]]) -> Any:
    return await func()


MIDDLEWARES: list[Callable[..., Awaitable[Any]]] = [outer, tracing, inner]


def ours() -> Call:
    from tomodachi_middleware import compose

    chain = compose(handler, MIDDLEWARES, positionals=("service", "request"))

    def call() -> Awaitable[Any]:
        return chain(SERVICE, REQUEST, request=REQUEST)

    return call


def tomodachi029() -> Call:
    # By name: under the development venv, ``tomodachi`` is this project's facade.
    execute_middlewares = importlib.import_module("tomodachi.helpers.middleware").execute_middlewares

    def call() -> Awaitable[Any]:
        result: Awaitable[Any] = execute_middlewares(
            handler, handler, MIDDLEWARES, SERVICE, REQUEST, request=REQUEST
        )
        return result

    return call


async def direct() -> Any:
    return await handler(request=REQUEST)


async def best_per_call_ns(call: Call, quick: bool) -> tuple[float, int, int]:
    """Best of many short batches, in ns per call: 40 of about 0.02 s (10 of 0.01 s with ``quick``).

    Short batches and many of them: the minimum then filters out the pauses of a busy machine.
    """
    target, repeats = (0.01, 10) if quick else (0.02, 40)
    iterations = 100
    while True:
        started = time.perf_counter_ns()
        for _ in range(iterations):
            await call()
        elapsed = time.perf_counter_ns() - started
        if elapsed >= target * 1e9 / 4:
            break
        iterations *= 4
    iterations = max(100, int(iterations * target * 1e9 / max(elapsed, 1)))
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter_ns()
        for _ in range(iterations):
            await call()
        best = min(best, (time.perf_counter_ns() - started) / iterations)
    return best, iterations, repeats


async def run_impl(impl: str, quick: bool) -> dict[str, Any]:
    result: dict[str, Any] = {"name": NAME, "impl": impl}
    try:
        call = ours() if impl == "ours" else tomodachi029()
        if await call() != 1:
            raise RuntimeError("the chain did not return the handler's result")
    except Exception as exc:
        result["error"] = f"{type(exc).__name__}: {exc}"
        return result
    per_call, iterations, repeats = await best_per_call_ns(call, quick)
    direct_ns, _, _ = await best_per_call_ns(direct, quick)
    result.update(
        per_call_ns=round(per_call, 1),
        direct_ns=round(direct_ns, 1),
        overhead_ns=round(per_call - direct_ns, 1),
        iterations=iterations,
        repeats=repeats,
    )
    return result


if __name__ == "__main__":
    sys.exit(
        bench_main(
            IMPLS,
            __doc__,
            "shorter batches and fewer repeats",
            lambda impl, quick: asyncio.run(run_impl(impl, quick)),
        )
    )
