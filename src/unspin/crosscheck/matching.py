"""Match reported events to recorded ones (UCDP GED) by date window, distance and actors.

Each event gets the nearest records, best first, scored 0..1:
`0.45 * date + 0.4 * place + 0.15 * actors`, where date = 1 when the periods overlap and decays by half
every `DAY_HALF_LIFE` days apart, place = 1 within `PLACE_AGREE_KM` and decays by half every `KM_HALF_LIFE`
km beyond, actors = 1 when a side matches, 0.5 when the article names no actor, 0 otherwise.
Only records within `MAX_DAYS` and `MAX_KM` (or, for a country-level place, in that country) are candidates.
Agreement on each aspect, and the plain-language discrepancies, are reported with every match.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from unspin.analysis import DeathsComparison, Event, RecordMatch
from unspin.crosscheck.ged import GedRecord, Window
from unspin.geo import gazetteer, haversine_km

MAX_DAYS = 10
MAX_KM = 100.0
PLACE_AGREE_KM = 25.0
KM_HALF_LIFE = 25.0
DAY_HALF_LIFE = 2.0
DATE_AGREE_DAYS = 1
MIN_SCORE = 0.5
TOP = 3

# Actor names as articles write them -> the key GED uses (side_a / side_b, matched on words).
ACTOR_ALIASES: dict[str, tuple[str, ...]] = {
    "syria": (
        "syrian government",
        "syrian army",
        "government forces",
        "regime",
        "assad",
        "syrian troops",
        "government troops",
        "pro-government",
        "syrian forces",
        "government of syria",
        "saa",
        "damascus",
    ),
    "russia": ("russian", "russia", "moscow", "kremlin", "government of russia"),
    "ukraine": ("ukrainian", "ukraine", "kyiv", "government of ukraine"),
    "is": ("islamic state", "isis", "isil", "daesh", "is fighters", "is militants"),
    "sdf": ("sdf", "syrian democratic forces", "kurdish-led", "ypg", "kurdish forces"),
    "usa": (
        "us-led coalition",
        "u.s.-led",
        "coalition",
        "american",
        "united states",
        "us forces",
        "pentagon",
        "government of united states",
    ),
    "civilians": ("civilians", "civilian", "residents", "people"),
    "houthi": ("houthi", "houthis", "ansarallah", "ansar allah"),
    "yemen": ("government of yemen", "yemeni government", "hadi"),
    "saudi": ("saudi", "saudi-led", "government of saudi arabia"),
    "jnim": ("jnim", "jama'at nusrat al-islam wal muslimin", "al-qaeda-linked", "al qaeda affiliate"),
    "mali": ("malian army", "malian troops", "government of mali", "fama"),
    "wagner": ("wagner", "russian mercenaries", "africa corps"),
    "hts": ("hts", "hayat tahrir al-sham", "nusra", "jabhat fateh al-sham", "jabhat al-nusra"),
}


def actor_keys(name: str | None) -> set[str]:
    if not name:
        return set()
    text = " " + re.sub(r"[^\w'\-. ]+", " ", name.casefold()) + " "
    keys = {
        key
        for key, aliases in ACTOR_ALIASES.items()
        for alias in aliases
        if f" {alias} " in text or (len(alias) > 4 and alias in text)
    }
    # GED's own names, e.g. "IS", "Government of Syria", "Civilians"
    words = set(text.split())
    if "is" in words and name.strip().upper().startswith("IS"):
        keys.add("is")
    return keys


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def event_period(event: Event, anchor: dt.date | None) -> Period | None:
    """The event's date range; undated events fall back to the week before publication."""
    if event.date:
        start = dt.date.fromisoformat(event.date)
        end = dt.date.fromisoformat(event.date_end) if event.date_end else start
        return Period(start, max(start, end))
    if anchor:
        return Period(anchor - dt.timedelta(days=7), anchor)
    return None


def days_apart(a: Period, start: dt.date, end: dt.date) -> int:
    if a.end < start:
        return (start - a.end).days
    if end < a.start:
        return (a.start - end).days
    return 0


def window_for(events: Iterable[Event], anchor: dt.date | None) -> Window:
    """One date window and bounding box around all events, for streaming a records file."""
    periods = [p for p in (event_period(e, anchor) for e in events) if p]
    points = [(e.lat, e.lon) for e in events if e.lat is not None and e.lon is not None]
    start = min(p.start for p in periods) - dt.timedelta(days=MAX_DAYS) if periods else None
    end = max(p.end for p in periods) + dt.timedelta(days=MAX_DAYS) if periods else None
    if not points:
        return Window(start=start, end=end)
    margin = MAX_KM / 111.0 + 0.5
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    lon_margin = margin / max(0.2, min(abs(_cos(la)) for la in lats))
    countries = frozenset(c.casefold() for c in _country_names(events))
    return Window(
        start=start,
        end=end,
        south=min(lats) - margin,
        north=max(lats) + margin,
        west=min(lons) - lon_margin,
        east=max(lons) + lon_margin,
        countries=countries or None,
    )


def _cos(lat: float) -> float:
    return math.cos(math.radians(lat))


def _country_names(events: Iterable[Event]) -> set[str]:
    names = set()
    for e in events:  # only events placed at a country's point (no town known) widen the box to the country
        country = gazetteer().countries.get(e.country) if e.country else None
        if country and (e.lat, e.lon) == (round(country.lat, 5), round(country.lon, 5)):
            names.add(country.name)
    return names


def _fmt_date(d: dt.date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


def _fmt_period(p: Period) -> str:
    return _fmt_date(p.start) if p.start == p.end else f"{_fmt_date(p.start)} – {_fmt_date(p.end)}"


def _fmt_claim(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "an unknown number"
    if high is None:
        return f"at least {low}"
    if low == high:
        return str(low)
    return f"{low}–{high}"


def compare_deaths(event: Event, record: GedRecord) -> DeathsComparison:
    f = event.fatalities
    claimed_low = f.low if f else None
    claimed_high = f.high if f else None
    comparison = DeathsComparison(
        claimed_low=claimed_low,
        claimed_high=claimed_high,
        recorded_low=record.low,
        recorded_best=record.best,
        recorded_high=record.high,
    )
    if f is None or (claimed_low is None and claimed_high is None):
        return comparison
    rec_low = record.low if record.low is not None else record.best
    rec_high = record.high if record.high is not None else record.best
    if rec_low is None or rec_high is None:
        return comparison
    lo = claimed_low if claimed_low is not None else 0
    comparison.agrees = lo <= rec_high and (claimed_high is None or claimed_high >= rec_low)
    return comparison


def match_event(
    event: Event, records: Iterable[GedRecord], anchor: dt.date | None, place_feature: str | None = None, top: int = TOP
) -> list[RecordMatch]:
    period = event_period(event, anchor)
    if period is None:
        return []
    country_level = place_feature in {"country", "region", "sea", "admin", "lake", "strait"}
    event_keys = actor_keys(event.actor) | actor_keys(event.target)
    scored: list[RecordMatch] = []
    for r in records:
        apart = days_apart(period, r.date_start, r.date_end)
        if apart > MAX_DAYS:
            continue
        km: float | None = None
        if event.lat is not None and event.lon is not None:
            km = haversine_km(event.lat, event.lon, r.latitude, r.longitude)
        same_country = event.country is not None and _same_country(event.country, r.country)
        if km is not None and km > MAX_KM and not (country_level and same_country):
            continue
        if km is None and not same_country:
            continue
        date_score = 0.5 ** (apart / DAY_HALF_LIFE)
        if km is None or country_level:
            place_score = 0.5
        else:
            place_score = 1.0 if km <= PLACE_AGREE_KM else 0.5 ** ((km - PLACE_AGREE_KM) / KM_HALF_LIFE)
        record_keys = actor_keys(r.side_a) | actor_keys(r.side_b)
        actors_agree: bool | None = None
        if event_keys:
            actors_agree = bool(event_keys & record_keys) if record_keys else None
        actor_score = 0.5 if actors_agree is None else 1.0 if actors_agree else 0.0
        score = 0.45 * date_score + 0.4 * place_score + 0.15 * actor_score
        if score < MIN_SCORE:
            continue
        date_agrees = apart <= (DATE_AGREE_DAYS if event.date_precision == "day" else 0) if event.date else None
        place_agrees = None if km is None or country_level else km <= PLACE_AGREE_KM
        deaths = compare_deaths(event, r)
        match = RecordMatch(
            id=r.id,
            score=round(score, 4),
            days_apart=apart,
            distance_km=None if km is None else round(km, 1),
            date_agrees=date_agrees,
            place_agrees=place_agrees,
            actors_agree=actors_agree,
            deaths=deaths,
            record=r.fields(),
        )
        match.discrepancies = discrepancies(event, r, period, match)
        scored.append(match)
    scored.sort(key=lambda m: (-m.score, m.id))
    return scored[:top]


def _same_country(iso: str, ged_country: str) -> bool:
    code = gazetteer().country_code(ged_country.split("(")[0].strip())
    return code == iso


def discrepancies(event: Event, r: GedRecord, period: Period, m: RecordMatch) -> list[str]:
    """Plain sentences, one per aspect on which the article and the record disagree."""
    out: list[str] = []
    recorded = Period(r.date_start, r.date_end)
    if m.date_agrees is False and event.date:
        out.append(
            f"Date: the article dates it {_fmt_period(period)}; record {r.id} dates it {_fmt_period(recorded)} "
            f"({m.days_apart} day{'s' if m.days_apart != 1 else ''} apart)."
        )
    if m.place_agrees is False and m.distance_km is not None:
        out.append(
            f"Place: the article places it at {event.place}; record {r.id} at {r.where_coordinates or 'its coordinates'}, "
            f"{m.distance_km:.0f} km away."
        )
    if m.actors_agree is False:
        named = " / ".join(x for x in (event.actor, event.target) if x)
        out.append(f"Actors: the article names {named}; record {r.id} has {r.side_a} against {r.side_b}.")
    d = m.deaths
    if d.agrees is False:
        recorded_text = f"{d.recorded_best}" if d.recorded_best is not None else "no best estimate"
        out.append(
            f"Deaths: the article claims {_fmt_claim(d.claimed_low, d.claimed_high)} killed; record {r.id} gives "
            f"{recorded_text} (low {d.recorded_low}, high {d.recorded_high})."
        )
    return out
