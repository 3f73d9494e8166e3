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
    found = resolve_dates(case["sentence"], dt.date.fromisoformat(case["published"]))
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
