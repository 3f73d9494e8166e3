"""Matching reported events to GED records: nearest first, agreement and plain discrepancies."""

from __future__ import annotations

import datetime as dt

import pytest

from unspin.analysis import Event, Fatalities
from unspin.crosscheck.ged import GedRecord
from unspin.crosscheck.matching import actor_keys, compare_deaths, match_event, window_for

MAYADIN = (35.01873, 40.44779)
DEIR = (35.33588, 40.14084)


def record(
    rid: str,
    day: str,
    lat_lon: tuple[float, float],
    side_a: str = "Government of Syria",
    side_b: str = "Civilians",
    deaths: tuple[int, int, int] = (30, 35, 48),
    end: str | None = None,
) -> GedRecord:
    low, best, high = deaths
    return GedRecord(
        id=rid,
        date_start=dt.date.fromisoformat(day),
        date_end=dt.date.fromisoformat(end or day),
        side_a=side_a,
        side_b=side_b,
        latitude=lat_lon[0],
        longitude=lat_lon[1],
        where_coordinates="somewhere",
        country="Syria",
        best=best,
        low=low,
        high=high,
    )


def event(
    day: str | None = "2016-09-17",
    lat_lon: tuple[float, float] = MAYADIN,
    actor: str | None = None,
    low: int | None = 120,
    high: int | None = 120,
    precision: str = "day",
) -> Event:
    fatalities = (
        Fatalities(start=0, end=1, text="x", low=low, high=high, exact=low == high) if low is not None else None
    )
    return Event(
        start=0,
        end=1,
        action="air_strike",
        actor=actor,
        date=day,
        date_end=day,
        date_precision=precision if day else None,
        place="Al Mayadin",  # type: ignore[arg-type]
        lat=lat_lon[0],
        lon=lat_lon[1],
        country="SY",
        fatalities=fatalities,
    )


def test_matching_best_first_and_fields() -> None:
    records = [
        record("far", "2016-09-17", DEIR),
        record("near", "2016-09-17", MAYADIN),
        record("late", "2016-09-26", MAYADIN),
    ]
    matches = match_event(event(actor="Syrian government warplanes"), records, dt.date(2016, 9, 20))
    assert matches[0].id == "near"
    best = matches[0]
    assert best.days_apart == 0 and best.distance_km == 0.0
    assert best.date_agrees and best.place_agrees and best.actors_agree
    assert best.record["best"] == "35"


def test_matching_contradicting_deaths_are_spelled_out() -> None:
    (m,) = match_event(event(), [record("r1", "2016-09-17", MAYADIN)], dt.date(2016, 9, 20))
    assert m.deaths.agrees is False
    assert (m.deaths.claimed_low, m.deaths.recorded_low, m.deaths.recorded_best, m.deaths.recorded_high) == (
        120,
        30,
        35,
        48,
    )
    assert m.discrepancies == ["Deaths: the article claims 120 killed; record r1 gives 35 (low 30, high 48)."]


def test_matching_date_place_and_actor_discrepancies() -> None:
    r = record("r2", "2016-09-19", (35.3, 40.3), side_a="IS", deaths=(100, 120, 130))
    (m,) = match_event(event(actor="Syrian government forces"), [r], dt.date(2016, 9, 20))
    assert m.days_apart == 2 and not m.date_agrees
    assert m.place_agrees is False and m.distance_km and m.distance_km > 25
    assert m.actors_agree is False and m.deaths.agrees is True
    kinds = [d.split(":")[0] for d in m.discrepancies]
    assert kinds == ["Date", "Place", "Actors"]
    assert "2 days apart" in m.discrepancies[0]


def test_matching_ignores_records_too_far_in_time_or_space() -> None:
    records = [record("old", "2016-08-01", MAYADIN), record("elsewhere", "2016-09-17", (48.1, 37.7))]
    assert match_event(event(), records, dt.date(2016, 9, 20)) == []


def test_matching_undated_event_uses_the_week_before_publication() -> None:
    (m,) = match_event(event(day=None), [record("r", "2016-09-15", MAYADIN)], dt.date(2016, 9, 20))
    assert m.days_apart == 0 and m.date_agrees is None


@pytest.mark.parametrize(
    ("claimed", "recorded", "agrees"),
    [
        ((120, 120), (30, 35, 48), False),
        ((12, 12), (12, 12, 14), True),
        ((100, None), (100, 115, 130), True),
        ((200, 5000), (30, 35, 48), False),
        ((0, 0), (0, 0, 0), True),
        ((24, 99), (10, 20, 30), True),
    ],
)
def test_matching_deaths_ranges(claimed: tuple[int, int | None], recorded: tuple[int, int, int], agrees: bool) -> None:
    comparison = compare_deaths(
        event(low=claimed[0], high=claimed[1]), record("r", "2016-09-17", MAYADIN, deaths=recorded)
    )
    assert comparison.agrees is agrees


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Islamic State fighters", "is"),
        ("IS", "is"),
        ("Syrian government warplanes", "syria"),
        ("Government of Syria", "syria"),
        ("Kurdish-led forces", "sdf"),
        ("Civilians", "civilians"),
        ("US-led coalition aircraft", "usa"),
        ("Government of Russia (Soviet Union)", "russia"),
    ],
)
def test_matching_actor_aliases(name: str, key: str) -> None:
    assert key in actor_keys(name)


def test_matching_window_covers_events() -> None:
    w = window_for([event()], dt.date(2016, 9, 20))
    assert w.start and w.end and w.start < dt.date(2016, 9, 17) < w.end
    assert w.keeps(record("in", "2016-09-18", DEIR))
    assert not w.keeps(record("out", "2016-09-18", (48.1, 37.7)))
