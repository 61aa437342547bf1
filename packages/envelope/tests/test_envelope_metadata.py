from importlib.metadata import version

import tomodachi_envelope


def test_version_is_the_distribution_version() -> None:
    assert tomodachi_envelope.__version__ == version("tomodachi-envelope")
