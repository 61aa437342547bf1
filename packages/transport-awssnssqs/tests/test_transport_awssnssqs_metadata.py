from importlib.metadata import version

import tomodachi_transport_awssnssqs


def test_version_is_the_distribution_version() -> None:
    assert tomodachi_transport_awssnssqs.__version__ == version("tomodachi-transport-awssnssqs")
