import pamqp.body
import pamqp.commands
import pamqp.frame
import pamqp.header
import pytest

from tomodachi_transport_amqp._frames import (
    ack_frame,
    body_frames,
    persistent_header_frame,
    publish_method_frame,
)


def test_an_ack_frame_is_the_one_the_general_encoder_writes() -> None:
    assert ack_frame(3, 123456789) == pamqp.frame.marshal(pamqp.commands.Basic.Ack(123456789, False), 3)


@pytest.mark.parametrize(
    ("exchange", "routing_key"), [("amq.topic", "a.b.c"), ("", "queue.retry.1000"), ("x", "å")]
)
def test_a_publish_frame_is_the_one_the_general_encoder_writes(exchange: str, routing_key: str) -> None:
    expected = pamqp.frame.marshal(
        pamqp.commands.Basic.Publish(exchange=exchange, routing_key=routing_key), 1
    )
    assert publish_method_frame(1, exchange, routing_key) == expected


def test_a_persistent_header_is_the_one_the_general_encoder_writes() -> None:
    header = pamqp.header.ContentHeader(
        body_size=70000, properties=pamqp.commands.Basic.Properties(delivery_mode=2)
    )
    assert persistent_header_frame(2, 70000) == pamqp.frame.marshal(header, 2)


def test_a_body_is_split_within_the_frame_size() -> None:
    body = bytes(range(256)) * 10
    frames = body_frames(1, body, 1000)
    assert all(len(frame) <= 1000 for frame in frames)
    assert b"".join(pamqp.frame.unmarshal(frame)[2].value for frame in frames) == body  # type: ignore[union-attr]
    assert frames[0] == pamqp.frame.marshal(pamqp.body.ContentBody(body[:992]), 1)
    assert body_frames(1, b"", 1000) == []


def test_a_routing_key_over_255_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="longer than 255 bytes"):
        publish_method_frame(1, "", "k" * 256)
