from typing import Any

import pytest

from tomodachi_middleware import MiddlewareError, accepted_keywords, compose


async def handler(**kwargs: Any) -> None:
    return None


def test_errors_name_a_function_by_its_qualified_name() -> None:
    def sync_middleware(func: Any) -> None:
        return None

    with pytest.raises(
        MiddlewareError, match=r"'test_errors_name_a_function_by_its_qualified_name\.<locals>"
    ):
        compose(handler, [sync_middleware])  # type: ignore[list-item]


def test_errors_name_an_object_by_its_type() -> None:
    class Blocking:
        def __call__(self, func: Any) -> None:
            return None

    with pytest.raises(MiddlewareError, match=r"middleware '.*Blocking' object is not async"):
        compose(handler, [Blocking()])  # type: ignore[list-item]


def test_an_unreadable_signature_is_reported_with_its_cause() -> None:
    with pytest.raises(MiddlewareError, match="cannot read the signature of function 'max'") as caught:
        accepted_keywords(max)

    assert isinstance(caught.value.__cause__, ValueError)
