"""The terminal report renders every kind of finding from a hand-built analysis."""

from __future__ import annotations

import re
from collections.abc import Callable

from unspin.analysis import (
    Analysis,
    Claim,
    DetectorRun,
    Document,
    Event,
    Extraction,
    Fatalities,
    Quantity,
    Quote,
    RecordMatch,
    Sentence,
    Skipped,
    Source,
    TechniqueSpan,
)
from unspin.render import formats, render

TEXT = 'Officials said 120 people died in the shameful attack on Aleppo. "We are winning," said General Rami Haddad.'


def build() -> Analysis:
    shameful = TEXT.index("shameful")
    quote = TEXT.index("We are")
    speaker = TEXT.index("General")
    number = TEXT.index("120")
    return Analysis(
        document=Document(text=TEXT, title="A <b>test</b> article", site="Example"),
        techniques=[TechniqueSpan(technique="Loaded_Language", start=shameful, end=shameful + 8, score=0.91)],
        sentences=[Sentence(start=0, end=64, subjective=True, subjectivity=0.8)],
        claims=[
            Claim(
                start=0,
                end=64,
                text=TEXT[:64],
                checkworthiness=0.87,
                attributed=False,
                quantities=[
                    Quantity(
                        start=number, end=number + 3, text="120", kind="number", value=120.0, low=120.0, high=120.0
                    )
                ],
            )
        ],
        quotes=[
            Quote(
                start=quote,
                end=quote + 13,
                text="We are winning",
                speaker="Rami Haddad",
                speaker_start=speaker + 8,
                speaker_end=speaker + 19,
                verb="said",
            )
        ],
        sources=[Source(name="Rami Haddad", kind="official", mentions=[(speaker + 8, speaker + 19)])],
        events=[
            Event(
                start=0,
                end=64,
                action="attack",
                place="Aleppo",
                date="2016-09-19",
                fatalities=Fatalities(start=number, end=number + 3, text="120", low=120, high=120, exact=True),
                matches=[
                    RecordMatch(id="900102", score=0.8, discrepancies=["claimed 120 killed; record says 10–12–15"])
                ],
            )
        ],
    )


def test_terminal_report_shows_each_section() -> None:
    report = render(build(), "text", width=120)
    for expected in (
        "A <b>test</b> article",
        "Loaded language",
        "shameful",
        "91%",
        "Check-worthy claims",
        "unattributed",
        "120",
        "Rami Haddad",
        "We are winning",
        "Sources",
        "900102",
        "DISAGREES",
        "claimed 120 killed",
    ):
        assert expected in report, expected
    assert "\x1b[" not in report


def test_terminal_report_colour_only_when_asked() -> None:
    assert "\x1b[" in render(build(), "text", color=True, width=120)


def test_terminal_report_of_an_empty_analysis() -> None:
    report = render(Analysis(document=Document(text="Nothing here.")), "text", width=80)
    assert "(untitled)" in report and "0 technique spans" in report


def test_renderers_registered() -> None:
    assert {"text", "json", "html", "md", "csv"} <= set(formats())


def test_terminal_cut_lists_say_how_many_more(make_long: Callable[..., Analysis]) -> None:
    analysis = make_long(quotes=40)
    report = render(analysis, "text", width=140)
    assert report.count("… and 25 more (--all shows every one)") == 2  # 40 excerpts and 40 claims, 15 shown
    assert "… and 10 more (--all shows every one)" in report  # 40 quotes, 30 shown
    full = render(analysis, "text", width=140, show_all=True)
    assert "more (--all shows every one)" not in full
    assert full.count("[[disgraceful]]") == 40


def test_terminal_plain_text_marks_flagged_words(make_long: Callable[..., Analysis]) -> None:
    plain = render(make_long(quotes=3), "text", width=140)
    assert "a [[disgraceful]] figure" in plain.replace("\n", " ")
    coloured = render(make_long(quotes=3), "text", width=140, color=True)
    assert "[[" not in coloured and "\x1b[" in coloured


def test_terminal_positions_are_paragraphs_and_sentences(make_long: Callable[..., Analysis]) -> None:
    report = render(make_long(quotes=3), "text", width=140)
    # the claim of paragraph 3 is its second sentence; the quote its first
    assert re.search(r"¶3 s2\s+Officials said", report)
    assert re.search(r"¶3 s1\s+the regional governor", report)
    assert not re.search(r"\b\d+–\d+\b", report.split("Check-worthy claims")[0].split("Strongest examples")[1])


def test_terminal_summary_counts_and_skipped_detectors() -> None:
    text = "Die Regierung lügt, und die Medien schweigen. Jeder Patriot weiß es längst."
    reason = "not analysed: the text's language is 'de', and this detector reads only en"
    analysis = Analysis(
        document=Document(text=text, title="Die Wahrheit", language="de"),
        detectors=[DetectorRun(name="entities", id="unspin.entities.v1", seconds=0.0)],
        skipped=[Skipped(detector=name, reason=reason) for name in ("techniques", "claims", "sources", "events")],
        extraction=Extraction(
            method="trafilatura", confidence=0.2, page_kind="gallery", doubts=["only image captions were found"]
        ),
    )
    report = " ".join(render(analysis, "text", width=200).split())
    assert "technique spans" not in report.split("Not analysed")[0]  # never "0 technique spans"
    assert "Not analysed: techniques (the text's language is 'de', and this detector reads only en)" in report
    assert "Persuasion techniques: not analysed (the text's language is 'de'" in report
    assert "Check-worthy claims: not analysed (" in report and "Quotes: not analysed (" in report
    assert "Found: 0 named entities" in report
    assert "looks like a gallery, not an article" in report and "only image captions were found" in report
    assert report.index("Read with care") < report.index("Persuasion techniques")


def test_terminal_claims_below_the_cut_only_with_all_claims(make_long: Callable[..., Analysis]) -> None:
    analysis = make_long(quotes=6)
    for claim in analysis.claims[2:]:
        claim.selected = False
    default = render(analysis, "text", width=140)
    assert "… and 4 more below the cut of check-worthy claims (--all-claims lists them)" in default
    assert "(not selected)" not in default
    every = render(analysis, "text", width=140, all_claims=True)
    assert every.count("(not selected)") == 4 and "below the cut" not in every


def test_an_unknown_or_inferred_publication_date_is_said_in_every_output() -> None:
    from unspin.render.findings import cautions

    dated = DetectorRun(name="dates", id="unspin.dates.v5", seconds=0.0)
    unknown = Analysis(document=Document(text=TEXT), detectors=[dated])
    (note,) = cautions(unknown)
    assert "publication date is unknown" in note and "--published" in note
    for fmt in ("text", "md", "html", "csv"):
        assert "publication date is unknown" in render(unknown, fmt)
    inferred = Analysis(
        document=Document(text=TEXT, published="2017-11-30", published_source="inferred"), detectors=[dated]
    )
    assert any("2017-11-30" in c and "inferred" in c for c in cautions(inferred))
    given = Analysis(document=Document(text=TEXT, published="2017-11-30", published_source="option"), detectors=[dated])
    assert cautions(given) == []
    # without the dates detector there is nothing to say about dates
    assert cautions(Analysis(document=Document(text=TEXT))) == []
