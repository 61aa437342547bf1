"""A moto server for the whole test session, with dummy credentials in the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tomodachi_transport_awssnssqs.testing import DUMMY_CREDENTIALS, moto_server


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    previous = {key: os.environ.get(key) for key in DUMMY_CREDENTIALS}
    os.environ.update(DUMMY_CREDENTIALS)
    with moto_server() as url:
        yield url
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
