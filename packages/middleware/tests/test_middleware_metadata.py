from importlib.metadata import version

import tomodachi_middleware


def test_version_is_the_distribution_version() -> None:
    assert tomodachi_middleware.__version__ == version("tomodachi-middleware")
