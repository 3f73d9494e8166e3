"""The one number reader (unspin.text.numbers), and the promise it keeps: every detector reads a sentence's
amount the same way (events' fatality counts and claims' quantities)."""

from __future__ import annotations

import re

import pytest

from unspin.detectors.events import find_fatalities
from unspin.text import numbers
from unspin.text.quantities import find_quantities


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("1,200", 1200),
        ("2 000", 2000),
        ("12\u00a0500", 12500),
        ("4\u202f300", 4300),
        ("3.5", 3.5),
        ("twenty-five", 25),
        ("Twenty five", 25),
        ("two hundred and fifty", 250),
        ("a dozen", 12),
        ("two dozen", 24),
        ("a hundred", 100),
        ("ten thousand five hundred", 10500),
        ("one million two hundred thousand", 1_200_000),
        ("2.5 million", 2_500_000),
        ("3bn", 3e9),
        ("1.2 trillion", 1.2e12),
    ],
)
def test_numbers_parse_number(written: str, value: float) -> None:
    assert numbers.parse_number(written) == pytest.approx(value)


@pytest.mark.parametrize("written", ["three four", "a", "fifty and", "hundred hundred", "twenty twelve", "lots"])
def test_numbers_parse_number_refuses_what_is_not_one_number(written: str) -> None:
    assert numbers.parse_number(written) is None


@pytest.mark.parametrize(
    ("written", "low", "high", "comparator"),
    [
        ("more than 1,200", 1200, None, ">="),
        ("at least 35", 35, None, ">="),
        ("nearly 50", 40, 50, "<="),
        ("up to 60", None, 60, "<="),
        ("about 30", 24, 36, "~"),
        ("between 10 and 15", 10, 15, "~"),
        ("10-15", 10, 15, "~"),
        ("2-3 billion", 2e9, 3e9, "~"),
        ("a few", 2, 5, "~"),
        ("several", 3, 9, "~"),
        ("dozens", 24, 99, "~"),
        ("tens of thousands", 20000, 99999, "~"),
        ("hundreds, if not thousands,", 200, 5000, "~"),
        ("more than a few", 2, None, ">="),
    ],
)
def test_numbers_parse_amount_bounds(written: str, low: float | None, high: float | None, comparator: str) -> None:
    amount = numbers.parse_amount(written)
    assert amount is not None
    assert (amount.low, amount.high, amount.comparator) == (
        pytest.approx(low) if low is not None else None,
        pytest.approx(high) if high is not None else None,
        comparator,
    )


def test_numbers_count_range_of_strict_and_open_bounds() -> None:
    fewer = numbers.parse_amount("fewer than 10")
    up_to = numbers.parse_amount("up to 60")
    assert fewer is not None and fewer.count_range() == (0, 9)
    assert up_to is not None and up_to.count_range() == (1, 60)


def test_numbers_every_vague_amount_is_ordered_and_matched_by_the_pattern() -> None:
    pattern = re.compile(numbers.VAGUE, re.IGNORECASE)
    for words, vague in numbers.VAGUE_AMOUNTS.items():
        assert vague.high is None or vague.low <= vague.typical <= vague.high, words
        assert pattern.fullmatch(words), words


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("Officials said 2 000 people were evacuated.", "2 000"),
        ("Some twenty-five people were hurt.", "Some twenty-five"),
        ("The army lost more than 1,200 soldiers.", "more than 1,200"),
        ("A two-year-old boy was among them.", None),
        ("Someone often called the office.", None),
    ],
)
def test_numbers_amount_pattern_in_sentences(sentence: str, found: str | None) -> None:
    m = re.search(numbers.AMOUNT, sentence, re.IGNORECASE)
    assert (m.group(0) if m else None) == found


@pytest.mark.parametrize(
    ("sentence", "low", "high"),
    [
        ("Twenty-five people were killed when the bridge collapsed.", 25, 25),
        ("The floods killed 2 000 people along the coast.", 2000, 2000),
        ("A few people were killed in the stampede, police said.", 2, 5),
        ("More than 1,200 people were killed in the earthquake.", 1200, None),
        ("Dozens of people were killed in the clashes.", 24, 99),
        ("About 30 people were killed in the raid.", 24, 36),
    ],
)
def test_numbers_events_and_claims_read_the_same_amount(sentence: str, low: int, high: int | None) -> None:
    fatalities = find_fatalities(sentence)
    assert fatalities is not None
    counted = [q for q in find_quantities(sentence) if q.kind == "number"]
    assert len(counted) == 1, counted
    quantity = counted[0]
    assert (fatalities.low, fatalities.high) == (low, high)
    assert (quantity.low, quantity.high) == (low, high)
    # both point at the same words for the amount
    assert quantity.text.lower() in fatalities.text.lower()
