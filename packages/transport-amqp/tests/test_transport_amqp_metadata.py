from importlib.metadata import version

import tomodachi_transport_amqp


def test_version_is_the_distribution_version() -> None:
    assert tomodachi_transport_amqp.__version__ == version("tomodachi-transport-amqp")
