"""Fixtures of the cross-layer tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tomodachi_process import Processes


@pytest.fixture
def processes() -> Iterator[Processes]:
    starter = Processes()
    yield starter
    for process in starter.started:
        process.kill()
