import hashlib

from tomodachi_transport_amqp import decode_routing_key, encode_routing_key, queue_name


def test_safe_characters_and_wildcards_pass_unchanged() -> None:
    assert encode_routing_key("test.route.*.#") == "test.route.*.#"
    assert encode_routing_key("a-b_c:d/e") == "a-b_c:d/e"


def test_other_characters_are_written_as_hex_between_underscores() -> None:
    assert encode_routing_key("räksmörgås") == "r___c3a4_ksm___c3b6_rg___c3a5_s"
    assert decode_routing_key("r___c3a4_ksm___c3b6_rg___c3a5_s") == "räksmörgås"


def test_a_competing_queue_is_the_sha256_of_the_unprefixed_routing_key() -> None:
    expected = hashlib.sha256(b"test.route.*").hexdigest()
    assert expected.startswith("0b2665c9")
    name = queue_name("test.route.*", handler_name="h", service_uuid="u", competing=True, prefix="p-")
    assert name == f"p-{expected}"


def test_a_queue_of_its_own_hashes_the_handler_and_the_service_uuid() -> None:
    expected = hashlib.sha256(b"test.routehandler1234").hexdigest()
    name = queue_name("test.route", handler_name="handler", service_uuid="1234", competing=False)
    assert name == expected


def test_an_explicit_queue_name_gets_the_prefix() -> None:
    name = queue_name("k", handler_name="h", service_uuid="u", competing=True, queue_name="q", prefix="p-")
    assert name == "p-q"
