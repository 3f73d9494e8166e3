"""Date parsing and resolution (unspin.text.dates): the fixed set in tests/fixtures/dates.jsonl must be all correct."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from unspin.text.dates import infer_publication, resolve_dates

FIXTURE = Path(__file__).parent.parent / "fixtures" / "dates.jsonl"
CASES = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_dates_fixture_has_at_least_40_expressions() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_dates_resolve_expression(case: dict[str, str]) -> None:
    # every fixture sentence reports a past event; the dates detector reads that tense from the parse
    found = resolve_dates(case["sentence"], dt.date.fromisoformat(case["published"]), tense_of=lambda _s, _e: "past")
    got = {(m.text, m.value, m.end_value, m.precision) for m in found}
    assert (case["text"], case["value"], case["end_value"], case["precision"]) in got, got


def test_dates_offsets_land_on_text() -> None:
    text = "Shelling resumed yesterday after the siege that began in early January."
    for m in resolve_dates(text, dt.date(2016, 9, 20)):
        assert text[m.start : m.end] == m.text


def test_dates_without_anchor_keep_absolute_dates_only() -> None:
    found = resolve_dates("On 16 September 2016 and yesterday.", None)
    assert [m.text for m in found] == ["16 September 2016"]


def test_dates_may_the_verb_is_not_a_month() -> None:
    assert resolve_dates("Fighting may resume, officials said.", dt.date(2016, 9, 20)) == []


def test_dates_numbers_are_not_years() -> None:
    found = resolve_dates("About 2015 fighters and 1,999 civilians; 2014 was worse.", dt.date(2016, 9, 20))
    assert [m.text for m in found] == ["2014"]


def test_dates_infer_publication_from_latest_full_date() -> None:
    text = "BEIRUT, Sept 20, 2016 — The siege that began on 3 March 2016 goes on. Four days ago a convoy was hit."
    assert infer_publication(text) == dt.date(2016, 9, 20)


WEDNESDAY = dt.date(2024, 3, 6)


@pytest.mark.parametrize(
    ("sentence", "tense", "value"),
    [
        ("Rebels shelled the town on Tuesday.", "past", "2024-03-05"),
        ("Ministers will meet on Tuesday.", "future", "2024-03-12"),
        ("Ministers meet on Friday.", "unknown", "2024-03-08"),
        ("Talks on Tuesday are in doubt.", "unknown", "2024-03-05"),
        ("The ceasefire collapsed on Feb. 9.", "past", "2024-02-09"),
        ("The ceasefire collapsed on March 9.", "past", "2023-03-09"),
        ("The trial opens on March 9.", "future", "2024-03-09"),
        ("The vote is scheduled for Feb. 9.", "future", "2025-02-09"),
        ("A decision on Feb. 9 is unclear.", "unknown", "2024-02-09"),
        ("The summit in October matters.", "unknown", "2023-10-01"),
        ("The summit in July matters.", "unknown", "2024-07-01"),
        ("Elections will be held in October.", "future", "2024-10-01"),
        ("Floods hit the region in October.", "past", "2023-10-01"),
    ],
)
def test_dates_yearless_dates_follow_the_tense(sentence: str, tense: str, value: str) -> None:
    found = resolve_dates(sentence, WEDNESDAY, tense_of=lambda _s, _e: tense)  # type: ignore[arg-type,return-value]
    assert [m.value for m in found] == [value]


@pytest.mark.parametrize(
    ("sentence", "text", "value", "end_value"),
    [
        ("Crime fell sharply in the 1990s, police said.", "the 1990s", "1990-01-01", "1999-12-31"),
        ("The party last governed in the '80s.", "the '80s", "1980-01-01", "1989-12-31"),
        ("Prices soared in the early 2000s.", "the early 2000s", "2000-01-01", "2002-12-31"),
        ("The bridge was built in the 19th century.", "the 19th century", "1800-01-01", "1899-12-31"),
        ("The border was drawn in the late 20th century.", "the late 20th century", "1970-01-01", "1999-12-31"),
    ],
)
def test_dates_decades_and_centuries_are_ranges(sentence: str, text: str, value: str, end_value: str) -> None:
    found = resolve_dates(sentence, WEDNESDAY)
    assert [(m.text, m.value, m.end_value, m.precision) for m in found] == [(text, value, end_value, "range")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Traffic was diverted from Route 1950 after the crash.",
        "Flight 2019 from Doha landed safely.",
        "Officials counted 2015 votes in the district.",
        "Some 1,500 people fled the fighting.",
        "The council passed Resolution 2020 unanimously.",
    ],
)
def test_dates_road_flight_and_count_numbers_are_not_years(sentence: str) -> None:
    assert resolve_dates(sentence, WEDNESDAY) == []


def test_dates_model_year_reads_as_a_year() -> None:
    found = resolve_dates("Recalls hit the 2020 model of the truck.", WEDNESDAY)
    assert [(m.text, m.precision) for m in found] == [("2020", "year")]


def test_a_schedule_of_year_less_dates_takes_the_year_the_text_named() -> None:
    text = (
        "The band will play a 2020 tour of 30 dates, its first in years.\n"
        "June 9 – Tampa, FL @ the amphitheatre\nJuly 22 – Akron, OH @ the music centre\n"
        "The current tour continues November 21 in Greenville."
    )
    found = {m.text: m.value for m in resolve_dates(text, dt.date(2019, 11, 19))}
    # months away from publication and no tense to go by: the year in view, 2020
    assert found["June 9"] == "2020-06-09" and found["July 22"] == "2020-07-22"
    # two days away: its own year, whatever year was named
    assert found["November 21"] == "2019-11-21"


def test_a_year_less_date_without_a_named_year_in_view_stays_the_nearest() -> None:
    text = "The band first played the 1976 album live in Boston.\nJune 9 – Tampa, FL @ the amphitheatre"
    found = {m.text: m.value for m in resolve_dates(text, dt.date(2019, 11, 19))}
    assert found["June 9"] == "2019-06-09"


@pytest.mark.parametrize(
    ("text", "surface", "value"),
    [
        ("On March 3, 2015, the envoy landed in Doha. He met the emir the next day.", "the next day", "2015-03-04"),
        ("The first raid came on May 10, 1999. Three days later, the bridge fell.", "Three days later", "1999-05-13"),
        ("She left the party in April 2011. Later that year she founded her own.", "Later that year", "2011-01-01"),
        ("The treaty was signed in June 2002. Two years later it was torn up.", "Two years later", "2004-01-01"),
    ],
)
def test_a_date_counted_from_the_story_starts_from_the_date_stated_before_it(
    text: str, surface: str, value: str
) -> None:
    found = {m.text: m.value for m in resolve_dates(text, dt.date(2020, 1, 1))}
    assert found[surface] == value


def test_a_story_date_is_not_counted_from_a_relative_one_nor_from_far_back() -> None:
    text = "Talks began on Tuesday. The next day they stalled."
    assert "The next day" not in {m.text for m in resolve_dates(text, dt.date(2020, 1, 9))}
    far = "The plant opened on 2 July 1990.\n\n" + "It grew for years. " * 30 + "The following day it shut."
    assert "The following day" not in {m.text for m in resolve_dates(far, None)}


def test_with_no_publication_day_a_year_less_date_takes_the_year_of_the_date_stated_before_it() -> None:
    text = "On October 2, 1978, the strike began. On October 5, the army moved in. The next day, talks opened."
    found = {m.text: m.value for m in resolve_dates(text, None)}
    assert found["October 5"] == "1978-10-05"
    assert found["The next day"] == "1978-10-06"


def test_a_history_piece_does_not_give_its_story_date_as_the_publication_day() -> None:
    text = "Forty Years On: on 9 November 1989 the wall opened. Today, in 2019 and 2020, the city remembers."
    assert infer_publication(text) is None
    dated = "ROME, 4 May 2021 - Officials said the 2022 budget would follow."
    assert infer_publication(dated) == dt.date(2021, 5, 4)


@pytest.mark.parametrize(
    ("sentence", "is_month"),
    [
        ("Theresa May said on Friday that the vote would go ahead.", False),
        ("Critics of May's cabinet met in Leeds.", False),
        ("Mrs May told MPs to back the deal.", False),
        ("The talks resumed in May and stalled in June.", True),
        ("Prices rose sharply last May.", True),
        ("Since early May, the port has been closed.", True),
        ("It launched as recently as May of this year.", True),
    ],
)
def test_may_alone_is_the_month_only_where_a_time_word_introduces_it(sentence: str, is_month: bool) -> None:
    found = [m for m in resolve_dates(sentence, dt.date(2019, 10, 1)) if "May" in m.text]
    assert bool(found) is is_month


@pytest.mark.parametrize(
    ("sentence", "value", "end_value"),
    [
        ("The abbey dates from the fourteenth century.", "1300-01-01", "1399-12-31"),
        ("A seventeenth-century map hangs in the hall.", "1600-01-01", "1699-12-31"),
        ("By the late nineteenth century the port had silted up.", "1870-01-01", "1899-12-31"),
        ("The town was founded in the year 812 by monks.", "0812-01-01", "0812-12-31"),
    ],
)
def test_centuries_in_words_and_early_years_after_the_year(sentence: str, value: str, end_value: str) -> None:
    (found,) = resolve_dates(sentence, None)
    assert (found.value, found.end_value) == (value, end_value)
