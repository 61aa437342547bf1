from importlib.metadata import version

import tomodachi_scheduler


def test_version_is_the_distribution_version() -> None:
    assert tomodachi_scheduler.__version__ == version("tomodachi-scheduler")
