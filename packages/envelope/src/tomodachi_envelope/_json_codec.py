"""JSON text exactly as ``json.dumps``/``json.loads`` with default settings, minus their per-call set-up.

``json.dumps(obj)`` builds a new C encoder on every call and ``json.loads`` runs two regular
expressions around the C scanner; envelopes encode and decode on every message, so both are built once
here. The output is the same text: ASCII-escaped, ``", "`` and ``": "`` separators, NaN and Infinity
allowed.
"""

from __future__ import annotations

import json
from json import decoder as _decoder
from json import encoder as _encoder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _make_dumps() -> Callable[[Any], str]:
    make_encoder = getattr(_encoder, "c_make_encoder", None)
    if make_encoder is None:  # an interpreter without the C accelerator
        return json.dumps
    try:
        encode = make_encoder(
            None, _refuse, _encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True
        )
    except TypeError:  # the accelerator's signature differs in this interpreter
        return json.dumps

    def dumps(value: Any) -> str:
        if type(value) is str:
            return _encoder.encode_basestring_ascii(value)
        return "".join(encode(value, 0))

    sample = {"a": [1, 2.5, None, True, "\u00e9"], "b": {"c": float("inf")}}
    return dumps if dumps(sample) == json.dumps(sample) else json.dumps


def _make_loads() -> Callable[[str | bytes], Any]:
    scan_once = getattr(_decoder.JSONDecoder(), "scan_once")  # noqa: B009 - typeshed omits it

    def loads(text: str | bytes) -> Any:
        if type(text) is str:
            try:
                value, end = scan_once(text, 0)
            except StopIteration:
                pass
            else:
                if end == len(text):
                    return value
        # Anything unusual (bytes, surrounding whitespace, errors) goes the standard way.
        return json.loads(text)

    return loads


dumps = _make_dumps()
loads = _make_loads()
