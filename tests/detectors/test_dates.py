"""The dates detector: the publication anchor (option, metadata, inferred) and what it marks as inferred."""

from __future__ import annotations

import datetime as dt

import unspin


def test_dates_detector_marks_dates_resolved_against_inferred_anchor() -> None:
    text = "BEIRUT, September 20, 2016. Four days ago a convoy was hit near Aleppo."
    analysis = unspin.analyze(unspin.Document(text=text), only=("dates",))
    four = next(d for d in analysis.dates if d.text == "Four days ago")
    assert four.value == "2016-09-16" and four.inferred
    assert not next(d for d in analysis.dates if d.text == "September 20, 2016").inferred
    assert (analysis.document.published, analysis.document.published_source) == ("2016-09-20", "inferred")


def test_dates_option_overrides_metadata() -> None:
    doc = unspin.Document(text="The convoy was hit yesterday.", published="2020-01-01", published_source="metadata")
    analysis = unspin.analyze(doc, only=("dates",), published=dt.date(2016, 9, 20))
    assert analysis.dates[0].value == "2016-09-19" and not analysis.dates[0].inferred
