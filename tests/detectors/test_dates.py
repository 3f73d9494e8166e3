"""The dates detector: the publication anchor (option, metadata, inferred) and what it marks as inferred."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import unspin

FIXTURE = Path(__file__).parent.parent / "fixtures" / "dates.jsonl"
CASES = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
WEDNESDAY = dt.date(2024, 3, 6)


def dates_of(text: str, published: dt.date) -> dict[str, str | None]:
    analysis = unspin.analyze(unspin.Document(text=text), only=("dates",), published=published)
    return {d.text: d.value for d in analysis.dates}


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_dates_detector_resolves_every_fixture_date(case: dict[str, str]) -> None:
    analysis = unspin.analyze(
        unspin.Document(text=case["sentence"]), only=("dates",), published=dt.date.fromisoformat(case["published"])
    )
    got = {(m.text, m.value, m.end_value, m.precision) for m in analysis.dates}
    assert (case["text"], case["value"], case["end_value"], case["precision"]) in got, got


@pytest.mark.parametrize(
    ("sentence", "expression", "value"),
    [
        ("Rebels shelled the market on Tuesday, killing four people.", "Tuesday", "2024-03-05"),
        ("The foreign ministers will meet in Geneva on Tuesday.", "Tuesday", "2024-03-12"),
        ("The parliament is scheduled to vote on Feb. 9 on the budget.", "Feb. 9", "2025-02-09"),
        ("The ceasefire collapsed on Feb. 9 after a week of talks.", "Feb. 9", "2024-02-09"),
        ("Voters will go to the polls in October.", "October", "2024-10-01"),
        ("Floods swept through the valley in October.", "October", "2023-10-01"),
        ("Union leaders plan to strike on March 20.", "March 20", "2024-03-20"),
    ],
)
def test_dates_detector_reads_the_tense_from_the_parse(sentence: str, expression: str, value: str) -> None:
    assert dates_of(sentence, WEDNESDAY)[expression] == value


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


def _resolved(text: str, published: dt.date) -> list[tuple[str, str | None, str | None]]:
    analysis = unspin.analyze(unspin.Document(text=text), only=("dates",), published=published)
    return [(text[d.start : d.end], d.value, d.end_value) for d in analysis.dates]


def test_years_joined_by_through_are_one_range() -> None:
    found = _resolved("The 2011 through 2014 models had a shallower keyboard.", dt.date(2019, 11, 18))
    assert found == [("2011 through 2014", "2011-01-01", "2014-12-31")]


def test_month_of_year_is_that_month() -> None:
    found = _resolved("In November of 2005, the council sold the land.", dt.date(2019, 11, 15))
    assert found == [("November of 2005", "2005-11-01", "2005-11-30")]


def test_the_past_n_years_start_on_the_same_calendar_day() -> None:
    found = _resolved("Over the past eight years, the clinic has doubled in size.", dt.date(2018, 4, 9))
    assert found == [("the past eight years", "2010-04-09", "2018-04-09")]
    leap = _resolved("Over the past three years, prices rose.", dt.date(2020, 2, 29))
    assert leap == [("the past three years", "2017-02-28", "2020-02-29")]


def test_the_last_weekend_of_something_is_not_last_weekend() -> None:
    published = dt.date(2018, 9, 15)
    assert _resolved("Come back on the last weekend of the festival.", published) == []
    assert _resolved("It opens in the last week of the season.", published) == []
    assert _resolved("At a hearing last month of the budget panel, she spoke.", published) == [
        ("last month", "2018-08-01", "2018-08-31")
    ]


def test_a_year_first_date_with_dots_is_a_day_and_a_version_number_is_not() -> None:
    published = dt.date(2018, 9, 15)
    assert _resolved("Posted 2018.04.05 by the theatre.", published) == [("2018.04.05", "2018-04-05", "2018-04-05")]
    assert _resolved("Version 2.1.3 shipped to every phone.", published) == []
