"""Titles of works in quotation marks are no quotations: reports list only real quotes (CSV keeps them all)."""

from __future__ import annotations

from unspin.analysis import Analysis, Document, Quote
from unspin.render import render

TEXT = 'The actor, who starred in "Night Harbour", said: "We shot it in nine days."'


def _analysis() -> Analysis:
    title_start = TEXT.index("Night Harbour")
    quote_start = TEXT.index("We shot")
    quotes = [
        Quote(start=title_start, end=title_start + 13, text="Night Harbour", kind="title"),
        Quote(start=quote_start, end=quote_start + 23, text="We shot it in nine days.", speaker="The actor"),
    ]
    return Analysis(document=Document(text=TEXT), quotes=quotes)


def test_render_titles_are_not_listed_as_quotes() -> None:
    analysis = _analysis()
    for fmt in ("text", "md"):
        report = render(analysis, fmt)
        quotes_part = report.split("Quotes", 1)[-1]
        assert "We shot it in nine days." in quotes_part, fmt
        assert "Night Harbour" not in quotes_part, fmt
    assert "1 quote" in render(analysis, "text")
    csv = render(analysis, "csv")
    assert "Night Harbour" in csv and ",title," in csv
