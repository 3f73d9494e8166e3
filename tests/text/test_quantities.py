"""The quantity parser (unspin.text.quantities): vague and exact amounts, money, percentages, fractions, dates; offsets index the text."""

from __future__ import annotations

import itertools

import pytest

from unspin.text.quantities import find_quantities


def one(text: str, fragment: str):  # type: ignore[no-untyped-def]
    found = [q for q in find_quantities(text) if fragment in q.text]
    assert found, f"{fragment!r} not found in {[q.text for q in find_quantities(text)]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "fragment", "kind", "value", "low", "high", "unit", "comparator"),
    [
        ("Over 100 people were arrested.", "100", "number", 100, 100, None, None, ">="),
        ("More than 5,000 troops crossed.", "5,000", "number", 5000, 5000, None, None, ">="),
        ("Fewer than 300 euros were paid.", "300", "money", 300, None, 300, "EUR", "<="),
        ("The plan costs $2 billion.", "$2 billion", "money", 2e9, 2e9, 2e9, "USD", "="),
        ("Prices rose 3.5% last year.", "3.5%", "percent", 3.5, 3.5, 3.5, "%", "="),
        ("Turnout fell 25 per cent.", "25 per cent", "percent", 25, 25, 25, "%", "="),
        ("The firm has 1,200 staff.", "1,200", "number", 1200, 1200, 1200, None, "="),
        ("Officials recorded more than 2 000 cases.", "2 000", "number", 2000, 2000, None, None, ">="),
        ("A fleet of 12\u00a0500 trucks.", "12\u00a0500", "number", 12500, 12500, 12500, None, "="),
        ("It reaches two million homes.", "two million", "number", 2e6, 2e6, 2e6, None, "="),
        ("A fund of £3.4m was set up.", "£3.4m", "money", 3.4e6, 3.4e6, 3.4e6, "GBP", "="),
        ("It cost 2bn euros.", "2bn euros", "money", 2e9, 2e9, 2e9, "EUR", "="),
        ("Twenty-five people died.", "Twenty-five", "number", 25, 25, 25, None, "="),
        ("About 40 km north of the city.", "40 km", "quantity", 40, 32, 48, "km", "~"),
        ("A third of voters stayed home.", "A third", "number", 1 / 3, 1 / 3, 1 / 3, "fraction", "="),
        ("Dozens of protesters gathered.", "Dozens", "number", None, 24, 99, None, "~"),
        ("Hundreds of thousands of refugees fled.", "Hundreds of thousands", "number", None, 2e5, 999999, None, "~"),
        ("More than a dozen shops were looted.", "a dozen", "number", 12, 12, None, None, ">="),
        ("A few protesters stayed behind.", "A few", "number", None, 2, 5, None, "~"),
        ("Nearly 50 homes burned.", "50", "number", 50, 40, 50, None, "<="),
        ("Between 10 and 20 soldiers were hurt.", "10 and 20", "number", None, 10, 20, None, "~"),
    ],
)
def test_quantities_normalise(
    text: str,
    fragment: str,
    kind: str,
    value: float | None,
    low: float | None,
    high: float | None,
    unit: str | None,
    comparator: str,
) -> None:
    q = one(text, fragment)
    assert q.kind == kind
    assert q.value == pytest.approx(value) if value is not None else q.value is None
    assert q.low == pytest.approx(low) if low is not None else q.low is None
    assert q.high == pytest.approx(high) if high is not None else q.high is None
    assert q.unit == unit
    assert q.comparator == comparator


@pytest.mark.parametrize(
    ("text", "fragment", "iso"),
    [
        ("It happened on March 3, 2024 at dawn.", "March 3, 2024", "2024-03-03"),
        ("It happened on 12 May 2023.", "12 May 2023", "2023-05-12"),
        ("The law passed in 2019.", "2019", "2019"),
        ("Elections were held in June 2022.", "June 2022", "2022-06"),
        ("Filed on 2021-11-30.", "2021-11-30", "2021-11-30"),
    ],
)
def test_quantities_dates(text: str, fragment: str, iso: str) -> None:
    q = one(text, fragment)
    assert q.kind == "date"
    assert q.date == iso


def test_quantities_no_numbers_in_plain_words() -> None:
    assert find_quantities("Someone may say it is done, and no one will listen.") == []


def test_quantities_offsets_index_the_text_and_shift() -> None:
    text = "Officials said more than 1,000 homes and $5 million in aid were lost on 4 July 2023."
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
    shifted = find_quantities(text, offset=10)
    assert [q.start - 10 for q in shifted] == [q.start for q in find_quantities(text)]


def test_quantities_do_not_overlap() -> None:
    found = find_quantities("Between 2019 and 2023, about 3.5 million people, or 12%, left; $2bn was spent.")
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start


def kinds(text: str) -> list[tuple[str, str]]:
    return [(q.text, q.kind) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Covid-19 admissions rose by 2,000 in a week.", [("2,000", "number")]),
        ("Two F-16 jets escorted a Boeing 737 to the G20 summit.", [("Two", "number")]),
        ("Nato invoked Article 5 after the convoy was hit on Route 66.", []),
        ("He was charged under article 12 of the penal code.", []),
        ("The MH17 report named 298 victims.", [("298", "number")]),
        ("Flights resumed after 9/11 and in the 2019-20 season.", [("2019-20", "date")]),
    ],
)
def test_quantities_numbers_in_names_are_not_quantities(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The curfew starts at 21:00 and ends at 6 a.m., police said.",
        "Polls close at 9 p.m. local time.",
        "The first train leaves at 0600 GMT.",
        "Shelling began at 5.30am and stopped by 7pm.",
    ],
)
def test_quantities_clock_times_are_not_numbers(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Witnesses can call the police on +44 20 7946 0958.",
        "The hotline, (555) 123-4567, was flooded with calls.",
        "Readers may reach the newsroom at 020 7946 0958.",
    ],
)
def test_quantities_phone_numbers_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


def test_quantities_thousands_in_groups_are_not_phone_numbers() -> None:
    assert kinds("Officials said 12 500 000 doses had arrived.") == [("12 500 000", "number")]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("The 2019 election was contested.", "2019"),
        ("Protests have continued since 2019, officials said.", "2019"),
        ("Turnout fell in 2014 and rose in 2018.", "2014"),
    ],
)
def test_quantities_years_are_dates_not_numbers(text: str, year: str) -> None:
    found = find_quantities(text)
    assert not [q for q in found if q.kind == "number"]
    assert any(q.kind == "date" and (q.date or "").startswith(year) for q in found)


def test_quantities_ordinals_in_names_are_not_quantities() -> None:
    assert kinds("Soldiers of the 101st Airborne arrived for the 3rd time.") == [("3rd", "ordinal")]
    assert kinds("Marchers reached 5th Avenue by noon.") == []


def test_quantities_weekday_before_a_number_does_not_make_it_a_name() -> None:
    assert kinds("Police said on Tuesday 300 people were detained.") == [("300", "number")]


def test_a_third_before_its_noun_is_an_ordinal_not_a_fraction() -> None:
    assert find_quantities("A third study found the same cells in mice.") == []
    assert find_quantities("She won a fifth term in office last year.") == []
    third = find_quantities("A third of voters stayed home.")
    assert [(q.unit, round(q.value or 0, 3)) for q in third] == [("fraction", 0.333)]
    cut = find_quantities("Sales fell by a third.")
    assert [q.unit for q in cut] == ["fraction"]


def test_a_point_that_may_separate_thousands_gives_no_value() -> None:
    # "1.000 led lights" is a thousand lights to its European writer, 1.0 to a decimal reader: no value is given
    found = find_quantities("The installation consists of 1.000 led lights and 800 meters of rope.")
    assert [q.text for q in found] == ["800 meters"]
    assert find_quantities("It cost 2.500 euros.") == []
    assert [q.value for q in find_quantities("The ratio was 0.125 and pi is 3.141.")] == [0.125, 3.141]
    assert [q.value for q in find_quantities("It weighs 1.25 kg.")] == [1.25]
