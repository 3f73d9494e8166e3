"""The terminal report renders every kind of finding from a hand-built analysis."""

from __future__ import annotations

from unspin.analysis import (
    Analysis,
    Claim,
    Document,
    Event,
    Fatalities,
    Quantity,
    Quote,
    RecordMatch,
    Sentence,
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
    assert {"text", "json", "html"} <= set(formats())
