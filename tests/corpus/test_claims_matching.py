"""The rules that decide whether two stored claims are one: names, dates, numbers, and the clustering that must not
chain one claim into another. Built by hand, without models (vectors are made up where the rule needs them)."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.corpus import claims
from unspin.corpus.claims import ClaimNumber


def number(text: str, value: float, comparator: str = "=", low: float | None = None) -> ClaimNumber:
    return ClaimNumber(
        text=text,
        kind="number",
        value=value if comparator == "=" else None,
        low=value if low is None else low,
        high=value if comparator == "=" else None,
        comparator=comparator,
    )


def claim(
    document: str,
    text: str,
    *,
    places: set[str] = frozenset(),
    actors: set[str] = frozenset(),  # type: ignore[assignment]
    dates: list[str] | None = None,
    numbers: list[ClaimNumber] | None = None,
    published: str | None = None,
    order: int = 0,
    inferred: bool = False,
) -> claims._Claim:
    return claims._Claim(
        document_id=document,
        site=f"{document}.example",
        published=published,
        url=None,
        title=None,
        text=text,
        start=0,
        end=len(text),
        order=order,
        numbers=numbers or [],
        dates=dates or [],
        actors=set(actors),
        places=set(places),
        published_inferred=inferred,
    )


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Paddock’s", "paddock"),
        ("the U.S.", "us"),
        ("Pakistan's Sindh", "pakistan sindh"),
        ("Mandalay Bay Hotel & Casino", "mandalay bay hotel casino"),
        ("São Paulo", "sao paulo"),
    ],
)
def test_claims_names_are_folded(raw: str, normal: str) -> None:
    assert claims._normal_name(raw) == normal


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ({"donald trump"}, {"trump"}, True),
        ({"patrick carlineo jr"}, {"patrick w carlineo jr"}, True),
        ({"us"}, {"united states"}, True),
        ({"national disaster management authority"}, {"ndma", "pakistan"}, True),
        ({"gaza"}, {"lebanon"}, False),
        ({"kenya red cross"}, {"national disaster management authority"}, False),
    ],
)
def test_claims_names_agree_on_the_same_actor_only(first: set[str], second: set[str], agree: bool) -> None:
    assert claims._names_agree(first, second) is agree


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        (["2019-11-18"], ["2019-11"], True),
        (["1300/1309"], ["1300/1399"], True),
        (["2019-11-16/2019-11-17"], ["2019-11-17"], True),
        (["2019-11-18"], ["2019-11-14"], False),
        (["2018"], ["2019-03"], False),
        ([], ["2019-03"], True),
    ],
)
def test_claims_dates_agree_when_they_overlap(first: list[str], second: list[str], agree: bool) -> None:
    assert claims._dates_agree(first, second) is agree


def test_claims_numbers_disagree_only_when_both_state_a_different_figure() -> None:
    killed_62, more_than_100 = number("62", 62), number("more than 100", 100, ">=")
    assert claims.numbers_disagree([killed_62], [more_than_100])
    assert not claims.numbers_disagree([killed_62], [number("62", 62.0)])
    share = ClaimNumber(text="$2.52", kind="money", value=2.52, low=2.52, high=2.52, unit="USD")
    revenue = ClaimNumber(text="$27.53 billion", kind="money", value=27.53e9, low=27.53e9, high=27.53e9, unit="USD")
    assert not claims.numbers_disagree([share, revenue], [share])  # one only adds a figure
    assert not claims.numbers_disagree([killed_62], [])
    percent = ClaimNumber(text="62%", kind="percent", value=62, low=62, high=62, unit="%")
    assert not claims.numbers_disagree([killed_62], [percent])  # not the same kind of figure


def test_claims_required_similarity_refuses_other_places_and_asks_more_of_unnamed_claims() -> None:
    sindh = claim("a", "Floods in Sindh killed 62 people.", places={"sindh"})
    garissa = claim("b", "Floods in Garissa killed 14 people.", places={"garissa"})
    unnamed = claim("c", "The floods killed 87 people.")
    assert claims.required_similarity(sindh, garissa) is None
    assert (
        claims.required_similarity(sindh, claim("d", "...", places={"sindh province"})) == claims.SAME_CLAIM_SIMILARITY
    )
    assert claims.required_similarity(sindh, unnamed) == claims.SAME_CLAIM_SIMILARITY_UNNAMED
    same_figure = claim("e", "The floods killed 62 people.", numbers=[number("62", 62)])
    sindh_62 = claim("f", "Floods in Sindh killed 62.", places={"sindh"}, numbers=[number("62", 62)])
    assert claims.required_similarity(sindh_62, same_figure) == claims.SHARED_NUMBER_SIMILARITY
    small = claim("g", "Two people died.", numbers=[number("two", 2)])
    assert claims.required_similarity(small, claim("h", "2 died", numbers=[number("2", 2)])) != (
        claims.SHARED_NUMBER_SIMILARITY
    )


def _unit(*parts: tuple[int, float]) -> np.ndarray:
    vector = np.zeros(384, dtype=np.float32)
    for axis, weight in parts:
        vector[axis] = weight
    return vector / np.linalg.norm(vector)


def test_claims_clusters_do_not_chain_and_keep_first_appearance_and_discrepancy() -> None:
    # a, b, c retell one claim; d is close to c alone (a chain a-b-c-d would join it through c)
    found = [
        claim(
            "a",
            "Floods in Sindh killed 62 people.",
            places={"sindh"},
            numbers=[number("62", 62)],
            published="2026-03-02",
            order=3,
        ),
        claim(
            "b",
            "Sindh floods killed more than 100.",
            places={"sindh"},
            numbers=[number("more than 100", 100, ">=")],
            published="2026-03-03",
            order=1,
        ),
        claim("c", "Floods in Sindh have killed 87.", places={"sindh"}, numbers=[number("87", 87)], order=2),
        claim("d", "Rains in Sindh ruined the cotton crop.", places={"sindh"}, order=4),
    ]
    vectors = np.stack(
        [_unit((0, 1.0)), _unit((0, 1.0), (1, 0.3)), _unit((0, 1.0), (1, 0.6)), _unit((0, 0.6), (1, 1.0))]
    )
    assert float(vectors[2] @ vectors[3]) >= claims.SAME_CLAIM_SIMILARITY > float(vectors[0] @ vectors[3])
    (cluster,) = claims._clusters_of(found, vectors, min_articles=2)
    assert [v.document_id for v in cluster.variants] == ["a", "b", "c"]  # dated first, then in storage order
    assert cluster.first_document_id == "a" and cluster.first_seen == "2026-03-02"
    assert cluster.sites == ["a.example", "b.example", "c.example"]
    assert cluster.dates == ["2026-03-02", "2026-03-03"]
    assert [(d.document_id, [n.text for n in d.numbers]) for d in cluster.discrepancies] == [
        ("b", ["more than 100"]),
        ("c", ["87"]),
    ]
    again = claims._clusters_of(list(reversed(found)), vectors[::-1].copy(), min_articles=2)
    assert again[0].id == cluster.id and again[0].text == cluster.text
    assert claims._clusters_of(found, vectors, min_articles=4) == []
    with_singles = claims._clusters_of(found, vectors, min_articles=1)
    assert sorted(len(c.variants) for c in with_singles) == [1, 3]


def test_claims_a_date_guessed_from_the_text_does_not_make_a_first_appearance_before_a_metadata_date() -> None:
    # the guessed date is an older date the article mentions, earlier than the true first appearance
    found = [
        claim("late", "Floods in Sindh killed 62 people.", places={"sindh"}, published="2026-03-04", order=1),
        claim(
            "guessed", "Floods in Sindh killed 62.", places={"sindh"}, published="2016-04-26", inferred=True, order=2
        ),
        claim("early", "Sindh floods killed 62 people.", places={"sindh"}, published="2026-03-02", order=3),
    ]
    vectors = np.stack([_unit((0, 1.0)), _unit((0, 1.0), (1, 0.1)), _unit((0, 1.0), (1, 0.2))])
    (cluster,) = claims._clusters_of(found, vectors, min_articles=2)
    assert [v.document_id for v in cluster.variants] == ["early", "late", "guessed"]
    assert (cluster.first_seen, cluster.first_seen_inferred) == ("2026-03-02", False)
    assert cluster.variants[2].published_inferred
    (alone,) = claims._clusters_of(found[1:2] + found[1:2], vectors[1:2].repeat(2, axis=0), min_articles=1)[:1]
    assert alone.first_seen_inferred


def test_claims_figures_are_compared_with_the_first_appearance_that_states_one() -> None:
    found = [
        claim("vague", "Floods in Sindh killed many people.", places={"sindh"}, published="2026-03-01"),
        claim(
            "sixty",
            "Floods in Sindh killed 62 people.",
            places={"sindh"},
            numbers=[number("62", 62)],
            published="2026-03-02",
        ),
        claim(
            "hundred",
            "Floods in Sindh killed 100 people.",
            places={"sindh"},
            numbers=[number("100", 100)],
            published="2026-03-03",
        ),
    ]
    vectors = np.stack([_unit((0, 1.0)), _unit((0, 1.0), (1, 0.1)), _unit((0, 1.0), (1, 0.2))])
    (cluster,) = claims._clusters_of(found, vectors, min_articles=2)
    assert cluster.first_document_id == "vague"
    assert [(d.document_id, d.first_document_id) for d in cluster.discrepancies] == [("hundred", "sixty")]
