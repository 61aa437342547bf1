from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import tomodachi_envelope


def test_import_pulls_in_neither_typing_nor_asyncio_nor_logging() -> None:
    source_root = str(Path(tomodachi_envelope.__file__).parent.parent)
    code = (
        f"import sys; sys.path.insert(0, {source_root!r}); import tomodachi_envelope; "
        "heavy = ('typing', 'asyncio', 'logging', 'dataclasses', 'google'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    # -S: no site-packages hooks, so only what the library itself imports is counted.
    output = subprocess.run([sys.executable, "-S", "-c", code], check=True, capture_output=True, text=True)
    assert output.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "name", ["ProtobufBase", "Envelope", "AsyncEnvelope", "EnvelopeMessage", "MessageMetadata", "ServiceInfo"]
)
def test_lazily_loaded_names_are_reachable(name: str) -> None:
    assert getattr(tomodachi_envelope, name).__name__ == name
    assert name in tomodachi_envelope.__all__


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = tomodachi_envelope.Nope


def test_every_public_name_resolves() -> None:
    for name in tomodachi_envelope.__all__:
        assert getattr(tomodachi_envelope, name) is not None
