from __future__ import annotations

import asyncio
import functools
import json
import time
from typing import Any

import pytest

from tomodachi_envelope import JsonBase
from tomodachi_middleware import handler_context
from tomodachi_transport_amqp import (
    AmqpTooManyConsumersException,
    AmqpTransport,
    RetryPolicy,
    amqp,
    amqp_publish,
)
from tomodachi_transport_amqp.testing import ServiceStub, rabbitmqctl, wait_until


async def started(runtime: Any) -> Any:
    await runtime.start()
    await runtime.consume()
    return runtime


async def test_a_published_message_reaches_the_handler_with_its_keywords(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[dict[str, Any]] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(
            self, data: Any, routing_key: str, exchange_name: str, message_uuid: str, properties: Any
        ) -> None:
            received.append(
                {
                    "data": data,
                    "rk": routing_key,
                    "ex": exchange_name,
                    "id": message_uuid,
                    "props": properties,
                }
            )

    service = Service({"queue_name_prefix": prefix}, message_envelope=JsonBase)
    await started(runtimes(service))
    await amqp_publish(service, {"n": 1}, routing_key=key)
    await wait_until(lambda: len(received) == 1)
    assert received[0]["data"] == {"n": 1}
    assert received[0]["rk"] == key
    assert received[0]["ex"] == "amq.topic"
    assert received[0]["id"].startswith(service.uuid)
    assert received[0]["props"].delivery_mode == 2


async def test_without_an_envelope_the_first_parameter_gets_the_body_text(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[tuple[Any, Any]] = []

    class Service(ServiceStub):
        @amqp(key, message_envelope=None)
        async def handler(self, payload: str, second: Any) -> None:
            received.append((payload, second))

    service = Service({"queue_name_prefix": prefix})
    await started(runtimes(service))
    await amqp_publish(service, "plain text", routing_key=key)
    await wait_until(lambda: len(received) == 1)
    assert received == [("plain text", None)]


async def test_wildcard_patterns_match_as_on_a_topic_exchange(prefix: str, key: str, runtimes: Any) -> None:
    received: list[tuple[str, str]] = []

    class Service(ServiceStub):
        @amqp(f"{key}.*")
        async def one_word(self, message: str, routing_key: str) -> None:
            received.append(("*", message))

        @amqp(f"{key}.#")
        async def any_words(self, message: str) -> None:
            received.append(("#", message))

    service = Service({"queue_name_prefix": prefix})
    await started(runtimes(service))
    for suffix in ("a", "a.b"):
        await amqp_publish(service, suffix, routing_key=f"{key}.{suffix}")
    await amqp_publish(service, "other", routing_key=f"{key}x.a")
    await wait_until(lambda: len(received) == 3)
    await asyncio.sleep(0.2)
    assert sorted(received) == [("#", "a"), ("#", "a.b"), ("*", "a")]


async def test_the_routing_key_prefix_applies_on_bind_and_publish(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[str] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            received.append(message)

    service = Service({"queue_name_prefix": prefix, "routing_key_prefix": "rkp."})
    await started(runtimes(service))
    await amqp_publish(service, "prefixed", routing_key=key)
    await amqp_publish(service, "not prefixed", routing_key=key, routing_key_prefix=None)
    plain = ServiceStub({"queue_name_prefix": prefix})
    await amqp_publish(plain, "by hand", routing_key=f"rkp.{key}")
    await wait_until(lambda: len(received) == 2)
    await asyncio.sleep(0.2)
    assert sorted(received) == ["by hand", "prefixed"]


async def test_queues_are_durable_with_the_queue_ttl_as_x_expires(
    prefix: str, key: str, runtimes: Any
) -> None:
    class Service(ServiceStub):
        @amqp(key, queue_name="named")
        async def handler(self, message: str) -> None:
            pass

    service = Service({"queue_name_prefix": prefix, "queue_ttl": 600})
    await started(runtimes(service))
    listed = await rabbitmqctl(
        "list_queues", "-q", "--formatter", "json", "name", "arguments", "durable", "auto_delete"
    )
    queues = {
        q["name"]: {**q, "arguments": {a[0]: a[-1] for a in q["arguments"]}} for q in json.loads(listed)
    }
    queue = queues[f"{prefix}named"]
    assert queue["durable"] is True
    assert queue["auto_delete"] is False
    assert queue["arguments"] == {"x-expires": 600000}
    assert f"{prefix}named.dlq" in queues
    assert queues[f"{prefix}named.retry.1000"]["arguments"]["x-dead-letter-routing-key"] == f"{prefix}named"


async def test_the_service_envelope_and_middlewares_run_around_the_handler(
    prefix: str, key: str, runtimes: Any
) -> None:
    calls: list[Any] = []

    async def outer(func: Any, service: Any, message: Any, routing_key: str, *, message_uuid: str) -> Any:
        calls.append(("outer", routing_key, message["data"]))
        return await func(traceid="t-1", routing_key="overridden")

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, data: Any, traceid: str, routing_key: str) -> None:
            calls.append(("handler", data, traceid, routing_key))

    service = Service({"queue_name_prefix": prefix}, message_envelope=JsonBase, message_middleware=[outer])
    await started(runtimes(service))
    await amqp_publish(service, [1, 2], routing_key=key)
    await wait_until(lambda: len(calls) == 2)
    assert calls == [("outer", key, [1, 2]), ("handler", [1, 2], "t-1", key)]


class AsyncEnvelope:
    """A custom envelope written as tomodachi 0.29's are: coroutine static methods."""

    @staticmethod
    async def build_message(service: Any, topic: str, data: Any, **kwargs: Any) -> str:
        return json.dumps({"wrapped": data, "topic": topic})

    @staticmethod
    async def parse_message(payload: str, **kwargs: Any) -> tuple[Any, str, float]:
        body = json.loads(payload)
        return {"data": body["wrapped"], "topic": body["topic"]}, "id-1", time.time()


async def test_a_custom_envelope_with_coroutine_methods_works_both_ways(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[Any] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, data: Any, topic: str, message_uuid: str) -> None:
            received.append((data, topic, message_uuid))

    service = Service({"queue_name_prefix": prefix}, message_envelope=AsyncEnvelope)
    await started(runtimes(service))
    await amqp_publish(service, {"x": 1}, routing_key=key)
    await wait_until(lambda: len(received) == 1)
    assert received == [({"x": 1}, key, "id-1")]


async def test_up_to_the_prefetch_count_messages_are_handled_at_once(
    prefix: str, key: str, runtimes: Any
) -> None:
    running = 0
    most = 0
    done = 0

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            nonlocal running, most, done
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.3)
            running -= 1
            done += 1

    service = Service({"queue_name_prefix": prefix, "qos.queue_prefetch_count": 4})
    await started(runtimes(service))
    await asyncio.gather(*(amqp_publish(service, str(n), routing_key=key) for n in range(8)))
    await wait_until(lambda: done == 8)
    assert most == 4


async def test_competing_consumers_of_two_instances_share_one_queue(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[tuple[str, str]] = []

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            received.append((self.uuid, message))
            await asyncio.sleep(0.05)

    first = Service({"queue_name_prefix": prefix, "qos.queue_prefetch_count": 1})
    second = Service({"queue_name_prefix": prefix, "qos.queue_prefetch_count": 1})
    await started(runtimes(first))
    await started(runtimes(second))
    for n in range(10):
        await amqp_publish(first, str(n), routing_key=key)
    await wait_until(lambda: len(received) == 10)
    await asyncio.sleep(0.2)
    assert sorted(m for _, m in received) == [str(n) for n in range(10)]
    assert {u for u, _ in received} == {first.uuid, second.uuid}


async def test_non_competing_handlers_each_get_every_message(prefix: str, key: str, runtimes: Any) -> None:
    received: list[tuple[str, str]] = []

    class Service(ServiceStub):
        @amqp(key, competing=False)
        async def handler(self, message: str) -> None:
            received.append((self.uuid, message))

    first = Service({"queue_name_prefix": prefix})
    second = Service({"queue_name_prefix": prefix})
    await started(runtimes(first))
    await started(runtimes(second))
    await amqp_publish(first, "hello", routing_key=key)
    await wait_until(lambda: len(received) == 2)
    assert sorted(received) == sorted([(first.uuid, "hello"), (second.uuid, "hello")])


async def test_a_second_consumer_on_a_non_competing_queue_is_refused(
    prefix: str, key: str, runtimes: Any
) -> None:
    class Service(ServiceStub):
        @amqp(key, competing=False)
        async def handler(self, message: str) -> None:
            pass

    first = Service({"queue_name_prefix": prefix})
    await started(runtimes(first))
    twin = Service({"queue_name_prefix": prefix})
    twin.uuid = first.uuid
    with pytest.raises(AmqpTooManyConsumersException):
        await runtimes(twin).start()


async def test_drain_lets_handlers_in_flight_finish_and_ack(prefix: str, key: str, runtimes: Any) -> None:
    finished: list[str] = []
    started_handlers = 0

    class Service(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            nonlocal started_handlers
            started_handlers += 1
            await asyncio.sleep(0.5)
            finished.append(message)

    service = Service({"queue_name_prefix": prefix})
    runtime = await started(runtimes(service))
    await asyncio.gather(*(amqp_publish(service, str(n), routing_key=key) for n in range(3)))
    await wait_until(lambda: started_handlers == 3)
    await runtime.drain()
    assert sorted(finished) == ["0", "1", "2"]
    await runtime.close()

    again: list[str] = []

    class Again(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            again.append(message)

    await started(runtimes(Again({"queue_name_prefix": prefix})))
    await asyncio.sleep(0.5)
    assert again == []  # all three were acked


async def test_handlers_still_running_after_the_grace_period_leave_their_message_in_the_queue(
    prefix: str, key: str, runtimes: Any
) -> None:
    class Slow(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            await asyncio.sleep(30)

    service = Slow({"queue_name_prefix": prefix})
    runtime = await started(runtimes(service, grace_period=0.2))
    await amqp_publish(service, "slow", routing_key=key)
    await wait_until(lambda: runtime.current_tasks == 1)
    await runtime.drain()
    await runtime.close()

    again: list[str] = []

    class Again(ServiceStub):
        @amqp(key)
        async def handler(self, message: str) -> None:
            again.append(message)

    await started(runtimes(Again({"queue_name_prefix": prefix})))
    await wait_until(lambda: again == ["slow"])


async def test_the_handler_runs_with_the_amqp_handler_logger_context(
    prefix: str, key: str, runtimes: Any
) -> None:
    seen: list[Any] = []

    class Service(ServiceStub):
        @amqp(key)
        async def on_message(self, message: str) -> None:
            seen.append(handler_context())

    service = Service({"queue_name_prefix": prefix})
    await started(runtimes(service))
    await amqp_publish(service, "x", routing_key=key)
    await wait_until(lambda: len(seen) == 1)
    assert seen == [("tomodachi.amqp.handler", {"handler": "on_message", "type": "tomodachi.amqp"})]


async def test_0_29s_class_publish_without_waiting_returns_a_task_and_the_legacy_envelope_is_read(
    prefix: str, key: str, runtimes: Any
) -> None:
    received: list[Any] = []

    class Service(ServiceStub):
        @amqp(key, callback_kwargs=["extra"])
        async def handler(self, data: Any, **kwargs: Any) -> None:
            received.append((data, sorted(kwargs)))

    service = Service({"queue_name_prefix": prefix}, message_protocol=JsonBase)
    await started(runtimes(service))
    task = await AmqpTransport.publish(service, {"late": True}, routing_key=key, wait=False)
    assert isinstance(task, asyncio.Task)
    await task
    await wait_until(lambda: len(received) == 1)
    data, names = received[0]
    assert data == {"late": True}
    assert names == [
        "exchange_name",
        "extra",
        "message",
        "message_uuid",
        "metadata",
        "properties",
        "routing_key",
        "service",
    ]


async def test_a_middleware_that_raises_sends_the_message_round_again(
    prefix: str, key: str, runtimes: Any
) -> None:
    calls = 0

    async def flaky(func: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("middleware failed")
        return await func()

    handled: list[str] = []

    class Service(ServiceStub):
        @amqp(key, retry_policy=RetryPolicy(attempts=3, delay=0.1))
        async def handler(self, message: str) -> None:
            handled.append(message)

    service = Service({"queue_name_prefix": prefix}, message_middleware=[flaky])
    await started(runtimes(service))
    await amqp_publish(service, "once", routing_key=key)
    await wait_until(lambda: handled == ["once"])
    assert calls == 2


async def test_the_dead_letter_queue_of_an_instances_own_queue_expires(
    prefix: str, key: str, runtimes: Any
) -> None:
    class Service(ServiceStub):
        @amqp(key, competing=False)
        async def own(self, message: str) -> None:
            pass

        @amqp(key + ".shared")
        async def shared(self, message: str) -> None:
            pass

    runtime = await started(runtimes(Service({"queue_name_prefix": prefix, "queue_ttl": 60})))
    listed = json.loads(await rabbitmqctl("list_queues", "-q", "--formatter", "json", "name", "arguments"))
    arguments = {q["name"]: {a[0]: a[-1] for a in q["arguments"]} for q in listed}
    own, shared = runtime.consumers
    assert arguments[own.dead_letter_queue] == {"x-expires": 14 * 24 * 3600 * 1000}
    assert arguments[shared.dead_letter_queue] == {}
    assert arguments[own.queue] == arguments[shared.queue] == {"x-expires": 60000}


async def test_a_decorator_applied_above_amqp_wraps_the_handler(prefix: str, key: str, runtimes: Any) -> None:
    calls: list[str] = []

    def traced(func: Any) -> Any:
        @functools.wraps(func)
        async def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            calls.append("wrapper")
            return await func(self, *args, **kwargs)

        return wrapper

    class Service(ServiceStub):
        @traced
        @amqp(key)
        async def handler(self, message: str) -> None:
            calls.append(message)

    service = Service({"queue_name_prefix": prefix})
    await started(runtimes(service))
    await amqp_publish(service, "wrapped", routing_key=key)
    await wait_until(lambda: calls == ["wrapper", "wrapped"])
