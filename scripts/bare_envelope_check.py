"""Run by `make isolation` in a venv that holds only the tomodachi-envelope wheel, with no extras.

It shows the library's promise: plain synchronous code builds and parses a JsonBase message, the
import stays light, and ProtobufBase names the extra to install.
"""

from __future__ import annotations

import re
import subprocess
import sys

from tomodachi_envelope import JsonBase, MissingExtraError, ProtobufBase, ServiceIdentity


def import_time_ms() -> float:
    """Cumulative import time of tomodachi_envelope, best of five fresh interpreters."""
    timings = []
    for _ in range(5):
        stderr = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import tomodachi_envelope"],
            check=True,
            capture_output=True,
            text=True,
        ).stderr
        match = re.search(r"\|\s*(\d+) \| tomodachi_envelope\s*$", stderr, re.MULTILINE)
        assert match, stderr
        timings.append(int(match.group(1)) / 1000)
    return min(timings)


def main() -> None:
    sender = ServiceIdentity(name="billing-script", uuid="3b8f0e9a-5c1d-4d7e-9f20-6a4b2c8d1e00")
    payload = JsonBase.build_message(sender, "invoice-paid", {"invoice": 42, "amount": "99.50"})
    parsed = JsonBase.parse_message(payload)
    assert parsed.data == {"invoice": 42, "amount": "99.50"}, parsed
    assert parsed.message["metadata"]["topic"] == "invoice-paid"

    try:
        ProtobufBase.validate(proto_class=object)
        raise AssertionError("ProtobufBase worked without protobuf installed")
    except MissingExtraError as exc:
        if "pip install 'tomodachi-envelope[protobuf]'" not in str(exc):
            raise AssertionError(f"the error does not name the extra: {exc}") from exc

    assert "asyncio" not in sys.modules, "tomodachi_envelope imported asyncio"
    milliseconds = import_time_ms()
    print(f"bare envelope: JsonBase round trip ok; import tomodachi_envelope took {milliseconds:.1f} ms")


if __name__ == "__main__":
    main()
