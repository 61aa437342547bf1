import asyncio
from typing import Any

import pytest

from tomodachi_middleware import PUBLISH_INTERCEPTORS, Publication, intercept_publish, intercepted


def test_interceptors_run_around_the_send_outermost_first_and_write_the_carrier() -> None:
    calls: list[str] = []

    async def outer(publication: Publication, send: Any) -> Any:
        calls.append("outer in")
        publication.carrier["traceparent"] = "00-abc"
        result = await send()
        calls.append(f"outer out {publication.message_id}")
        return result

    async def inner(publication: Publication, send: Any) -> Any:
        calls.append("inner in")
        return await send()

    publication = Publication("amqp", "amqp.publish", "orders", {})

    async def send() -> str:
        calls.append(f"send {dict(publication.carrier)}")
        publication.message_id = "m-1"
        return "m-1"

    remove_outer = intercept_publish(outer)
    remove_inner = intercept_publish(inner)
    try:
        assert asyncio.run(intercepted(publication, send)) == "m-1"
    finally:
        remove_outer()
        remove_inner()
    assert calls == ["outer in", "inner in", "send {'traceparent': '00-abc'}", "outer out m-1"]


def test_nothing_is_registered_until_an_interceptor_is_added_and_removing_twice_is_harmless() -> None:
    assert not PUBLISH_INTERCEPTORS

    async def interceptor(publication: Publication, send: Any) -> Any:
        return await send()

    remove = intercept_publish(interceptor)
    assert PUBLISH_INTERCEPTORS
    remove()
    remove()
    assert not PUBLISH_INTERCEPTORS


def test_a_failing_send_propagates_through_the_interceptors() -> None:
    seen: list[BaseException] = []

    async def interceptor(publication: Publication, send: Any) -> Any:
        try:
            return await send()
        except Exception as exc:
            seen.append(exc)
            raise

    async def send() -> str:
        raise RuntimeError("broker refused")

    remove = intercept_publish(interceptor)
    try:
        with pytest.raises(RuntimeError, match="broker refused"):
            asyncio.run(intercepted(Publication("aws_sns_sqs", "sns.publish", "t", {}), send))
    finally:
        remove()
    assert len(seen) == 1
