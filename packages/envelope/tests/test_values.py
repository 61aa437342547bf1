from __future__ import annotations

from typing import Any

from tomodachi_envelope import ParsedMessage, ServiceIdentity


def test_parsed_message_is_a_three_tuple_with_named_fields() -> None:
    message: Any = {"service": {}, "metadata": {}, "data": [1]}
    parsed = ParsedMessage(message, "u.1", 2.5)

    assert (parsed.message, parsed.message_uuid, parsed.timestamp, parsed.data) == (message, "u.1", 2.5, [1])
    assert parsed == (message, "u.1", 2.5)
    assert repr(parsed) == f"ParsedMessage(message={message!r}, message_uuid='u.1', timestamp=2.5)"


def test_service_identity_compares_by_value_and_offers_name_and_uuid() -> None:
    identity = ServiceIdentity("orders", "u-1")

    assert identity == ServiceIdentity(name="orders", uuid="u-1")
    assert identity != ServiceIdentity("orders", "u-2")
    assert len({identity, ServiceIdentity("orders", "u-1")}) == 1
    assert (identity.name, identity.uuid) == ("orders", "u-1")
    assert repr(identity) == "ServiceIdentity(name='orders', uuid='u-1')"
