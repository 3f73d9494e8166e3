"""The HTML report tells the truth about what it shows: not-analysed parts, extraction doubts, readable chips and
event headings, long lists grouped and folded, and a map with coastlines and borders."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from unspin.analysis import Analysis, Document, Extraction, Skipped
from unspin.render.html import build_map, render

GERMAN = "Die Wahrheit über den Krieg\n\nDie Regierung lügt, und die Medien schweigen. Jeder Patriot weiß es längst."
LANGUAGE_REASON = "not analysed: the text's language is 'de', and this detector reads only en"


def german() -> Analysis:
    return Analysis(
        document=Document(text=GERMAN, title="Die Wahrheit über den Krieg", language="de"),
        skipped=[
            Skipped(detector=name, reason=LANGUAGE_REASON)
            for name in ("techniques", "sources", "subjectivity", "claims", "events")
        ],
        warnings=["the text looks German ('de'); unspin's detectors read English"],
    )


def text_of(page: str) -> str:
    """The words a reader sees (tags dropped, entities decoded), without the stylesheet and script."""
    body = page[page.index("<body") :] if "<body" in page else page
    body = re.sub(r"<script>.*?</script>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body)))


def test_html_skipped_detectors_say_not_analysed_never_none_found() -> None:
    page = text_of(render(german()))
    assert "Not analysed (the text's language is 'de', and this detector reads only en)." in page
    for none_found in (
        "No persuasion technique was found",
        "No claims were found",
        "No quotes were found",
        "No passage was highlighted",
        "No events were found",
    ):
        assert none_found not in page, none_found
    assert "techniques: not analysed (the text's language is 'de'" in page  # the box at the top names each one


def test_html_extraction_doubts_and_page_kind_come_first(make_sample: Callable[..., Analysis]) -> None:
    analysis = make_sample()
    analysis.extraction = Extraction(
        method="trafilatura",
        coverage=0.08,
        confidence=0.3,
        page_kind="gallery",
        doubts=["only image captions were found (8% of the page's words)"],
    )
    page = render(analysis)
    box = page[page.index('class="warnings"') :]
    box = box[: box.index("</div>")]
    assert "looks like a gallery, not an article" in box
    assert "only image captions were found" in box and "confidence 30%" in box
    assert page.index('class="warnings"') < page.index('id="article"')


def test_html_chips_read_dates_and_years_as_such(make_long: Callable[..., Analysis]) -> None:
    page = render(make_long(quotes=3))
    claims = page[page.index('id="claims"') : page.index('id="quotes"')]
    assert "2,019" not in claims
    assert "<b>2019</b>" in claims  # a year read as a number, shown as a year
    assert "date date" not in text_of(claims) and "date · " not in text_of(claims)
    assert '<span class="k">date</span><b>2019</b> · “since 2019”' in claims


def test_html_event_headings_are_words(make_long: Callable[..., Analysis]) -> None:
    page = text_of(render(make_long(quotes=3)))
    assert "Killing: 7,844 dead" in page
    assert "→" not in page


def test_html_long_lists_are_grouped_and_folded(make_long: Callable[..., Analysis]) -> None:
    analysis = make_long(quotes=40)
    page = render(analysis)
    quotes = page[page.index('id="quotes"') : page.index('id="sources"')]
    groups = re.findall(r'<details class="fold speaker"( open)?>', quotes)
    assert len(groups) == 5  # four speakers and the unnamed
    assert [bool(g) for g in groups] == [True, False, False, False, False]  # the largest group open, others folded
    assert quotes.rindex("no speaker named") > quotes.index("Maria Kovalenko")  # unnamed last
    claims = page[page.index('id="claims"') : page.index('id="quotes"')]
    assert 'id="claims-all"' in claims and 'id="claims-all" open' not in claims
    assert "All 40 claims, paragraph by paragraph" in claims
    assert re.findall(r"<h3>¶(\d+) ", claims)[:3] == ["2", "3", "4"]
    assert 'id="passages-all"' in page  # 40 highlighted passages fold too


def test_html_show_all_unfolds_everything(make_long: Callable[..., Analysis]) -> None:
    page = render(make_long(quotes=40), show_all=True)
    assert not re.search(r"<details(?![^>]*\bopen\b)[^>]*>", page.split('id="quotes"')[1].split('id="sources"')[0])
    assert 'id="claims-all" open' in page and 'id="passages-all"' not in page


def test_html_short_lists_stay_flat(sample: Analysis) -> None:
    page = render(sample)
    assert 'id="claims-all"' not in page and 'id="passages-all"' not in page
    assert '<details class="fold speaker" open>' in page


def test_html_unselected_claims_only_with_all_claims(make_long: Callable[..., Analysis]) -> None:
    analysis = make_long(quotes=6)
    for claim in analysis.claims[3:]:
        claim.selected = False
    default = text_of(render(analysis))
    assert "… and 3 more below the cut of check-worthy claims (--all-claims lists them)" in default
    assert "not selected" not in default
    every = text_of(render(analysis, all_claims=True))
    assert "below the cut" not in every and every.count("not selected") == 3


def test_html_map_draws_coastlines_and_borders(sample: Analysis) -> None:
    view = build_map(sample)
    assert view is not None
    names = [name for name, _ in view.land]
    assert "Ukraine" in names and "Russia" in names  # Kharkiv and Izium lie near the border
    page = render(sample)
    svg = page[page.index("<svg viewBox") :]
    svg = svg[: svg.index("</svg>")]
    assert svg.count('<path d="M') >= 2 and 'clip-path="url(#map-clip)"' in svg
    assert len(svg) < 60_000  # outlines clipped and thinned: the map stays small


def test_html_map_outlines_stay_inside_a_small_frame() -> None:
    from unspin.render.basemap import clip

    square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]
    clipped = clip(square, (2.0, 3.0, 5.0, 20.0))
    assert {(round(x, 6), round(y, 6)) for x, y in clipped} == {(2.0, 3.0), (5.0, 3.0), (5.0, 10.0), (2.0, 10.0)}
    assert clip(square, (20.0, 20.0, 30.0, 30.0)) == []
