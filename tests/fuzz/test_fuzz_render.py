"""Every renderer on arbitrary text and spans: no exception, and nothing that drives a terminal."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.analysis import Analysis, Claim, Document, Quote, Source, TechniqueSpan
from unspin.render import render
from unspin.taxonomy import TECHNIQUES
from unspin.text.control import has_controls

SGR = re.compile(r"\x1b\[[0-9;]*m")
texts = st.text(min_size=1, max_size=300)
labels = st.one_of(st.sampled_from(sorted(TECHNIQUES)), st.text(max_size=20))


@st.composite
def analyses(draw: st.DrawFn) -> Analysis:
    text = draw(texts)
    n = len(text)

    def span() -> tuple[int, int]:
        start = draw(st.integers(min_value=0, max_value=n))
        return start, draw(st.integers(min_value=start, max_value=n))

    techniques = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        start, end = span()
        techniques.append(
            TechniqueSpan(technique=draw(labels), start=start, end=end, score=draw(st.floats(min_value=0, max_value=1)))
        )
    start, end = span()
    field = draw(st.text(max_size=40))
    return Analysis(
        document=Document(text=text, title=draw(st.none() | st.text(max_size=40)), url=field, author=field),
        techniques=techniques,
        claims=[Claim(start=start, end=end, text=text[start:end], checkworthiness=0.5)],
        quotes=[Quote(start=start, end=end, text=text[start:end], speaker=field, verb=field)],
        sources=[Source(name=field or "x", kind="person", mentions=[(start, end)])],
        warnings=[field],
    )


@settings(settings.get_profile("unspin-fuzz"))
@given(analysis=analyses(), color=st.booleans())
def test_fuzz_terminal_report(analysis: Analysis, color: bool) -> None:
    report = render(analysis, "text", color=color, width=100)
    assert not has_controls(SGR.sub("", report) if color else report)


@settings(settings.get_profile("unspin-fuzz"))
@given(analysis=analyses())
def test_fuzz_json_round_trips(analysis: Analysis) -> None:
    data = json.loads(render(analysis, "json"))
    assert data["document"]["text"] == analysis.document.text


@settings(settings.get_profile("unspin-fuzz"))
@given(analysis=analyses())
def test_fuzz_html_report(analysis: Analysis) -> None:
    page = render(analysis, "html")
    assert page.lstrip().lower().startswith("<!doctype html")
