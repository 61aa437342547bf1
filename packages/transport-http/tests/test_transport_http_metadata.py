from importlib.metadata import version

import tomodachi_transport_http


def test_version_is_the_distribution_version() -> None:
    assert tomodachi_transport_http.__version__ == version("tomodachi-transport-http")
