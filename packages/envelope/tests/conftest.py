from __future__ import annotations

import pytest

from tomodachi_envelope import ServiceIdentity


@pytest.fixture
def service() -> ServiceIdentity:
    return ServiceIdentity(name="orders", uuid="7d0a0b4c-1111-4222-8333-444455556666")
