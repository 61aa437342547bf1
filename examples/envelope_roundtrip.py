"""Builds a tomodachi JSON envelope and reads it back, from plain synchronous code.

Run it with `make run`. The printed payload is what a service on tomodachi 0.29 subscribed to the
topic would receive, and what it sends is read the same way.
"""

from __future__ import annotations

import json

from tomodachi_envelope import JsonBase, ServiceIdentity

sender = ServiceIdentity(name="billing-report", uuid="3b8f0e9a-5c1d-4d7e-9f20-6a4b2c8d1e00")


def main() -> None:
    payload = JsonBase.build_message(sender, "invoice-paid", {"invoice": 42, "amount": "99.50"})
    print("payload on the wire:")
    print(json.dumps(json.loads(payload), indent=2))

    parsed = JsonBase.parse_message(payload)
    print(f"parsed back: data={parsed.data} topic={parsed.message['metadata']['topic']!r}")
    print(f"message uuid: {parsed.message_uuid}")


if __name__ == "__main__":
    main()
