from importlib.metadata import version

import tomodachi


def test_version_is_the_distribution_version() -> None:
    assert tomodachi.__version__ == version("tomodachi")
