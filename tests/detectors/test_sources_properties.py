"""Property tests: whatever the text, every offset lands on it and never crashes."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import unspin
from unspin.detectors.sources.quoting import find_quotes

PIECES = [
    '"',
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    ":",
    ",",
    ".",
    "\n",
    "\n\n",
    " ",
    "—",
    "said",
    "told",
    "claimed",
    "according to",
    "reportedly",
    "so-called",
    "he",
    "she",
    "they",
    "the ministry",
    "Sergei Shoigu",
    "Shoigu",
    "Reuters",
    "AP",
    "Defence Minister",
    "We will win",
    "don’t",
    "’90s",
    "wrote",
]
articles = st.lists(st.sampled_from(PIECES) | st.text(max_size=6), max_size=60).map(" ".join) | st.text(max_size=200)


@given(text=articles)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_sources_offsets_always_land_on_the_text(nlp: Any, text: str) -> None:
    analysis = unspin.analyze(unspin.Document(text=text), only=("sources",))
    n = len(text)
    for q in analysis.quotes:
        assert 0 <= q.start <= q.end <= n
        assert q.text == text[q.start : q.end]
        assert "\n" not in q.text  # no quote runs over a paragraph break
        if q.speaker_start is not None:
            assert q.speaker_end is not None and 0 <= q.speaker_start < q.speaker_end <= n
        if q.verb_start is not None:
            assert q.verb_end is not None and q.verb == text[q.verb_start : q.verb_end]
    for source in analysis.sources:
        assert source.mentions
        for start, end in source.mentions:
            assert 0 <= start < end <= n
    for a in analysis.attributions:
        assert a.text == text[a.start : a.end]


@given(text=st.text(alphabet=st.sampled_from(list("ab \n'\"“”‘’«»:.")), max_size=300))
@settings(max_examples=300, deadline=None)
def test_quoting_spans_are_ordered_and_inside_their_marks(text: str) -> None:
    previous_end = -1
    for quote in find_quotes(text):
        assert quote.mark_start <= quote.start <= quote.end <= quote.mark_end <= len(text)
        assert quote.mark_start >= previous_end
        # a part that goes on from the line before starts where its line starts, without a mark
        assert text[quote.mark_start] in "\"'“”‘’«»„‟‹›‚" or quote.mark_start == quote.start
        assert "\n" not in text[quote.mark_start : quote.mark_end]
        previous_end = quote.mark_end
