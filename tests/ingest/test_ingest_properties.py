"""Properties of the one normalisation: idempotent, and leaves no characters that shift offsets later."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.ingest.text import decode, normalise

# Pieces that normalisation touches, mixed with arbitrary text, so that they meet each other.
pieces = st.sampled_from(["\r", "\n", "\r\n", "\t", " ", "\ufeff", "\u2028", "\u2029", "e\u0301", "\x07", "word"])
texts = st.lists(pieces | st.text(max_size=6), max_size=60).map("".join)


@given(texts)
@settings(max_examples=300, deadline=None)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(texts)
@settings(max_examples=300, deadline=None)
def test_normalise_leaves_no_carriage_returns_controls_or_bom(text: str) -> None:
    result = normalise(text)
    assert "\r" not in result and "\ufeff" not in result and "\n\n\n" not in result
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in result)


@given(st.text(min_size=1, max_size=200).filter(lambda t: t.strip()))
@settings(max_examples=200, deadline=None)
def test_decode_round_trips_utf8(text: str) -> None:
    data = text.encode("utf-8")
    if b"\x00" in data or sum(b < 32 and b not in (9, 10, 12, 13) for b in data) > 8:
        return
    decoded, encoding, warnings = decode(data, "t")
    assert decoded == text and encoding == "utf-8" and warnings == []
