"""Quantities of a claim are read by the shared parsers, with the publication date and the sentence's tense."""

from __future__ import annotations

import unspin


def _dates(text: str, published: str) -> list[tuple[str, str | None]]:
    analysis = unspin.analyze(unspin.Document(text=text, published=published), only=("claims",))
    return [(q.text, q.date) for claim in analysis.claims for q in claim.quantities if q.kind == "date"]


def test_claims_year_less_date_follows_the_tense_of_its_sentence() -> None:
    past = _dates("On March 3 the ministry cut 1,200 jobs at the state railway.", "2019-11-20")
    future = _dates("On March 3 the ministry will cut 1,200 jobs at the state railway.", "2019-11-20")
    assert ("March 3", "2019-03-03") in past
    assert ("March 3", "2020-03-03") in future


def test_claims_and_events_read_the_same_death_toll() -> None:
    text = "Officials said twenty-five people were killed in the attack on the market in Kabul on Monday."
    analysis = unspin.analyze(unspin.Document(text=text, published="2019-11-20"), only=("claims", "events"))
    (event,) = analysis.events
    numbers = [q for claim in analysis.claims for q in claim.quantities if q.kind == "number"]
    assert event.fatalities is not None and (event.fatalities.low, event.fatalities.high) == (25, 25)
    assert [(q.low, q.high) for q in numbers] == [(25.0, 25.0)]
