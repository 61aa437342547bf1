import pytest

from tomodachi_middleware import MiddlewareError, compose


def test_middleware_error_is_a_type_error() -> None:
    assert issubclass(MiddlewareError, TypeError)


def test_every_build_error_is_a_middleware_error() -> None:
    async def handler() -> None:
        return None

    for bad in (object(), len, lambda: None):
        with pytest.raises(MiddlewareError):
            compose(handler, [bad])  # type: ignore[list-item]
