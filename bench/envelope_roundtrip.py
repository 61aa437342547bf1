"""Envelope round trips per second: build a message, then parse it back.

Cases:
- ``json_small``: JsonBase with a typical message, a dict of ten fields (about 300 bytes of JSON);
- ``json_compressed``: JsonBase with about 100 KB of JSON, which travels zlib-compressed and base64-encoded;
- ``protobuf_small``: ProtobufBase with a short ``google.protobuf.wrappers_pb2.StringValue``.

Implementations:
- ``ours``: ``tomodachi_envelope``, whose methods are synchronous;
- ``tomodachi029``: ``tomodachi.envelope`` of tomodachi 0.29, whose methods are async classmethods. They are
  awaited one after the other inside a single coroutine run by ``asyncio.run``, as a service uses them.

Run through ``bench/run.py``, or alone: ``python bench/envelope_roundtrip.py --impl ours [--quick]``.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from _convention import bench_main
from google.protobuf.wrappers_pb2 import StringValue

CASES = ("json_small", "json_compressed", "protobuf_small")
IMPLS = ("ours", "tomodachi029")
TOPIC = "bench.envelope"

Batch = Callable[[int], Awaitable[float]]
"""Runs the round trip ``n`` times and returns the seconds it took."""


@dataclass(frozen=True)
class Case:
    once: Callable[[], Awaitable[None]]
    """One round trip that raises if the data does not come back: run before timing."""
    batch: Batch


class BenchService:
    """What an envelope needs from a service: a name and a uuid."""

    name = "bench-service"
    uuid = "5d0f3c52-8a9e-4b7d-a1f6-2c3e4d5b6a79"


def small_data() -> dict[str, Any]:
    return {
        "order_id": 918273,
        "customer_id": "c2f1b0e4-33aa-4c1d-9e7f-0b8a6d5c4e21",
        "status": "confirmed",
        "currency": "EUR",
        "amount": 249.9,
        "quantity": 3,
        "gift": False,
        "coupon": None,
        "shipping": {"method": "express", "country": "SE", "postcode": "41138"},
        "items": ["SKU-00017", "SKU-00342", "SKU-01200"],
    }


def large_data() -> list[dict[str, Any]]:
    return [
        {
            "id": index,
            "sku": f"SKU-{index:05d}",
            "name": f"Item number {index}",
            "price": round((index * 1.17) % 500, 2),
            "quantity": index % 13,
            "in_stock": index % 3 != 0,
            "tags": [f"tag-{index % 7}", f"group-{index % 11}"],
            "discount": 0.15 if index % 5 == 0 else None,
        }
        for index in range(640)
    ]


PROTO_VALUE = "order 918273 confirmed for customer c2f1b0e4"


def check(ok: bool, case: str) -> None:
    if not ok:
        raise RuntimeError(f"{case}: the round trip did not return the data")


def ours_cases() -> dict[str, Case]:
    """Round trips through tomodachi_envelope."""
    from tomodachi_envelope import JsonBase, ProtobufBase

    service = BenchService()

    def json_case(case: str, data: Any) -> Case:
        build, parse = JsonBase.build_message, JsonBase.parse_message

        async def once() -> None:
            check(parse(build(service, TOPIC, data)).message["data"] == data, case)

        async def batch(n: int) -> float:
            start = time.perf_counter()
            for _ in range(n):
                parse(build(service, TOPIC, data))
            return time.perf_counter() - start

        return Case(once, batch)

    def proto_case(case: str, data: StringValue) -> Case:
        build, parse = ProtobufBase.build_message, ProtobufBase.parse_message

        async def once() -> None:
            check(parse(build(service, TOPIC, data), proto_class=StringValue).message["data"] == data, case)

        async def batch(n: int) -> float:
            start = time.perf_counter()
            for _ in range(n):
                parse(build(service, TOPIC, data), proto_class=StringValue)
            return time.perf_counter() - start

        return Case(once, batch)

    return {
        "json_small": json_case("json_small", small_data()),
        "json_compressed": json_case("json_compressed", large_data()),
        "protobuf_small": proto_case("protobuf_small", StringValue(value=PROTO_VALUE)),
    }


def tomodachi029_cases() -> dict[str, Case]:
    """Round trips through tomodachi 0.29's async envelopes (only importable in its own venv)."""
    envelope: Any = importlib.import_module("tomodachi.envelope")
    json_base: Any = envelope.JsonBase
    protobuf_base: Any = envelope.ProtobufBase
    service = BenchService()

    def json_case(case: str, data: Any) -> Case:
        build, parse = json_base.build_message, json_base.parse_message

        async def batch(n: int) -> float:
            start = time.perf_counter()
            for _ in range(n):
                await parse(await build(service, TOPIC, data))
            return time.perf_counter() - start

        async def once() -> None:
            message, _, _ = await parse(await build(service, TOPIC, data))
            check(message["data"] == data, case)

        return Case(once, batch)

    def proto_case(case: str, data: StringValue) -> Case:
        build, parse = protobuf_base.build_message, protobuf_base.parse_message

        async def batch(n: int) -> float:
            start = time.perf_counter()
            for _ in range(n):
                await parse(await build(service, TOPIC, data), proto_class=StringValue)
            return time.perf_counter() - start

        async def once() -> None:
            message, _, _ = await parse(await build(service, TOPIC, data), proto_class=StringValue)
            check(message["data"] == data, case)

        return Case(once, batch)

    return {
        "json_small": json_case("json_small", small_data()),
        "json_compressed": json_case("json_compressed", large_data()),
        "protobuf_small": proto_case("protobuf_small", StringValue(value=PROTO_VALUE)),
    }


async def measure(case: Case, quick: bool) -> dict[str, float]:
    """Best of several timed batches, each sized to last about 0.2 s (0.05 s with ``quick``)."""
    await case.once()
    batch = case.batch
    target, repeats = (0.05, 3) if quick else (0.2, 5)
    n = 1
    elapsed = await batch(n)
    while elapsed < target / 10:
        n *= 4
        elapsed = await batch(n)
    n = max(1, round(n * target / elapsed))
    best = min([await batch(n) for _ in range(repeats)])
    return {
        "ops_per_sec": round(n / best, 1),
        "per_call_ns": round(best / n * 1e9, 1),
        "iterations": n,
        "repeats": repeats,
    }


def emit(line: dict[str, Any]) -> None:
    print(json.dumps(line), flush=True)


async def run_impl(impl: str, quick: bool) -> None:
    setup = ours_cases if impl == "ours" else tomodachi029_cases
    try:
        cases = setup()
    except Exception as exc:
        for case in CASES:
            emit({"name": case, "impl": impl, "error": f"{type(exc).__name__}: {exc}"})
        return
    for case in CASES:
        try:
            metrics = await measure(cases[case], quick)
        except Exception as exc:
            emit({"name": case, "impl": impl, "error": f"{type(exc).__name__}: {exc}"})
        else:
            emit({"name": case, "impl": impl, **metrics})


if __name__ == "__main__":
    sys.exit(
        bench_main(
            IMPLS,
            __doc__,
            "shorter batches and fewer repeats",
            lambda impl, quick: asyncio.run(run_impl(impl, quick)),
        )
    )
