"""The clocks of the in-memory AWS, shared with the other libraries' fakes (``tomodachi_middleware.testing``).

``ManualClock`` is the name this library gives ``FakeClock``.
"""

from __future__ import annotations

from tomodachi_middleware.testing import Clock as Clock
from tomodachi_middleware.testing import FakeClock as ManualClock
from tomodachi_middleware.testing import LoopClock as LoopClock
from tomodachi_middleware.testing import settle as settle

__all__ = ["Clock", "LoopClock", "ManualClock", "settle"]
