"""Places, dates and events on real news pages, scored against hand-made gold (benchmarks/realnews/ANNOTATION.md).

    .venv/bin/python benchmarks/realnews_geo.py [--gold DIR] [--verbose]

Each gold file names a page of /work/shared/data/realnews/ground-truth.json by its sha (or a PTC training
article as "ptc:ID", read from /work/shared/data/ptc/train-articles/articleID.txt). The page's articleBody
is analysed as plain text with the gold's publication date as `published`, detectors places, dates and
events. Only what the analysis shows counts: `places` (the list itself: places under the confidence cut are
not in it), `dates`, `events`.

Places: every occurrence of a gold surface in the body (exact, case-sensitive, on word boundaries) is a
gold place, a trap (`not_places`) or nothing, by its `occurrences`. A predicted place is right when its span
overlaps an occurrence that is a gold place and its point is close enough: a country by the same ISO code;
an admin area or region by the same country code (when both have one) and within 500 km of the gold point
(a region's "point" is a convention, big states span 1,000 km; a region of no country, a continent or "the
Americas", within 2,000 km, for it spans several thousand); a city or landmark within 25 km. A place on
a trap or on no gold surface is wrong. Recall: a gold place (one per distinct surface) is found when one of
its occurrences is predicted right.

Dates: each occurrence of a gold date surface; it is correct when a predicted date overlaps it with the gold
value (and end, for a range), compared at the gold precision. Accuracy = correct / gold occurrences;
predicted dates on no gold surface are counted as `extra` (not all resolvable dates need be in the gold).

Events: a predicted event is right when its sentence contains a gold event anchor; on a `non_events`
anchor or any other sentence it is a false positive. Recall: gold events whose sentence holds a predicted
event. For the matched ones the event's date (at the gold precision) and place (within 25 km of the gold
place's point, when the gold names one in its places) are reported as agreement rates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import unspin  # noqa: E402
from unspin.geo import haversine_km  # noqa: E402

DATA = Path("/work/shared/data")
PAGES = DATA / "realnews" / "ground-truth.json"
PTC = DATA / "ptc" / "train-articles"
CITY_KM = 25.0
REGION_KM = 500.0
SUPRANATIONAL_KM = 2000.0


def occurrences(text: str, surface: str) -> list[tuple[int, int]]:
    """Exact, case-sensitive occurrences on word boundaries (a boundary only where the surface has a word edge)."""
    left = r"(?<!\w)" if surface[:1].isalnum() else ""
    right = r"(?!\w)" if surface[-1:].isalnum() else ""
    return [(m.start(), m.end()) for m in re.finditer(left + re.escape(surface) + right, text)]


def chosen(entry: dict[str, Any], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    wanted = entry.get("occurrences")
    if not wanted:
        return spans
    return [spans[i - 1] for i in wanted if 0 < i <= len(spans)]


def overlaps(a: tuple[int, int], start: int, end: int) -> bool:
    return a[0] < end and start < a[1]


def body(gold: dict[str, Any], pages: dict[str, Any]) -> str:
    sha = str(gold["sha"])
    if sha.startswith("ptc:"):
        return (PTC / f"article{sha[4:]}.txt").read_text(encoding="utf-8")
    return str(pages[sha]["articleBody"])


def place_right(place: Any, gold: dict[str, Any]) -> bool:
    kind = gold.get("kind")
    if kind == "country":
        return bool(place.country) and place.country == gold.get("country")
    km = haversine_km(place.lat, place.lon, float(gold["lat"]), float(gold["lon"]))
    if kind in {"admin", "region"}:
        same_country = not (place.country and gold.get("country")) or place.country == gold.get("country")
        if kind == "region" and not gold.get("country") and not place.country:
            return km <= SUPRANATIONAL_KM
        return same_country and km <= REGION_KM
    return km <= CITY_KM


def date_right(predicted: Any, gold: dict[str, Any]) -> bool:
    if not predicted.value:
        return False
    precision = gold.get("precision", "day")
    value = str(gold["value"])
    if precision == "range":
        return bool(predicted.value == value and predicted.end_value == gold.get("end"))
    return bool(str(predicted.value).startswith(value))


@dataclass
class Tally:
    places_predicted: int = 0
    places_right: int = 0
    places_gold: int = 0
    places_found: int = 0
    dates_gold: int = 0
    dates_right: int = 0
    dates_extra: int = 0
    events_predicted: int = 0
    events_right: int = 0
    events_gold: int = 0
    events_found: int = 0
    event_dates_checked: int = 0
    event_dates_right: int = 0
    event_places_checked: int = 0
    event_places_right: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in self.__dataclass_fields__:
            if name != "notes":
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "places": {
                "precision": ratio(self.places_right, self.places_predicted),
                "recall": ratio(self.places_found, self.places_gold),
                "predicted": self.places_predicted,
                "right": self.places_right,
                "gold": self.places_gold,
                "found": self.places_found,
            },
            "dates": {
                "accuracy": ratio(self.dates_right, self.dates_gold),
                "gold": self.dates_gold,
                "right": self.dates_right,
                "extra": self.dates_extra,
            },
            "events": {
                "precision": ratio(self.events_right, self.events_predicted),
                "recall": ratio(self.events_found, self.events_gold),
                "predicted": self.events_predicted,
                "right": self.events_right,
                "gold": self.events_gold,
                "found": self.events_found,
                "date_agreement": ratio(self.event_dates_right, self.event_dates_checked),
                "place_agreement": ratio(self.event_places_right, self.event_places_checked),
            },
        }


def score_places(text: str, gold: dict[str, Any], analysis: Any, tally: Tally) -> None:
    gold_spans: list[tuple[tuple[int, int], dict[str, Any]]] = []
    for entry in gold.get("places", []):
        spans = chosen(entry, occurrences(text, entry["surface"]))
        gold_spans.extend((span, entry) for span in spans)
    trap_spans = [
        span for entry in gold.get("not_places", []) for span in chosen(entry, occurrences(text, entry["surface"]))
    ]
    found: set[int] = set()
    for place in analysis.places:
        tally.places_predicted += 1
        surface = text[place.start : place.end]
        hits = [(span, entry) for span, entry in gold_spans if overlaps(span, place.start, place.end)]
        right = [entry for _, entry in hits if place_right(place, entry)]
        if right:
            tally.places_right += 1
            found.update(id(entry) for entry in right)
        elif hits:
            entry = hits[0][1]
            tally.notes.append(
                f"place off: {surface!r} -> {place.name} ({place.country}) "
                f"gold {entry['name']} ({entry.get('country')})"
            )
        else:
            trap = any(overlaps(span, place.start, place.end) for span in trap_spans)
            tally.notes.append(
                f"place {'TRAP' if trap else 'extra'}: {surface!r} -> {place.name} "
                f"({place.country}, {place.feature}, conf {place.confidence})"
            )
    for entry in gold.get("places", []):
        if not chosen(entry, occurrences(text, entry["surface"])):
            tally.notes.append(f"gold surface not in body: {entry['surface']!r}")
            continue
        tally.places_gold += 1
        if id(entry) in found:
            tally.places_found += 1
        else:
            tally.notes.append(f"place missed: {entry['surface']!r} ({entry['name']}, {entry.get('kind')})")


def score_dates(text: str, gold: dict[str, Any], analysis: Any, tally: Tally) -> None:
    gold_spans: list[tuple[int, int]] = []
    for entry in gold.get("dates", []):
        for span in chosen(entry, occurrences(text, entry["surface"])):
            gold_spans.append(span)
            tally.dates_gold += 1
            hits = [d for d in analysis.dates if overlaps(span, d.start, d.end)]
            if any(date_right(d, entry) for d in hits):
                tally.dates_right += 1
            else:
                got = ", ".join(f"{d.text!r}={d.value}..{d.end_value}/{d.precision}" for d in hits) or "not found"
                tally.notes.append(
                    f"date wrong: {entry['surface']!r} gold {entry['value']}"
                    f"{'..' + entry['end'] if entry.get('end') else ''} got {got}"
                )
    for d in analysis.dates:
        if not any(overlaps(span, d.start, d.end) for span in gold_spans):
            tally.dates_extra += 1
            tally.notes.append(f"date extra: {d.text!r}={d.value}/{d.precision}")


def score_events(text: str, gold: dict[str, Any], analysis: Any, tally: Tally) -> None:
    places_by_surface = {p["surface"]: p for p in gold.get("places", [])}

    def anchored(entry: dict[str, Any]) -> list[tuple[int, int]]:
        spans = occurrences(text, entry["anchor"]) or [
            (m.start(), m.end()) for m in re.finditer(re.escape(entry["anchor"]), text)
        ]
        if not spans:
            tally.notes.append(f"anchor not in body: {entry['anchor'][:60]!r}")
        return spans

    gold_events = [(entry, anchored(entry)) for entry in gold.get("events", [])]
    non_events = [(entry, anchored(entry)) for entry in gold.get("non_events", [])]
    found: set[int] = set()
    for event in analysis.events:
        tally.events_predicted += 1
        # the event's span is its sentence: the anchor lies inside it
        mine = [
            entry
            for entry, spans in gold_events
            if any((event.start <= s and e <= event.end) or overlaps((s, e), event.start, event.end) for s, e in spans)
        ]
        if mine:
            tally.events_right += 1
            entry = mine[0]
            found.add(id(entry))
            if entry.get("date"):
                tally.event_dates_checked += 1
                if event.date and str(event.date).startswith(str(entry["date"])):
                    tally.event_dates_right += 1
                else:
                    tally.notes.append(f"event date: {entry['anchor'][:50]!r} gold {entry['date']} got {event.date}")
            gold_place = places_by_surface.get(entry.get("place") or "")
            if gold_place:
                tally.event_places_checked += 1
                if (
                    event.lat is not None
                    and event.lon is not None
                    and haversine_km(event.lat, event.lon, float(gold_place["lat"]), float(gold_place["lon"]))
                    <= REGION_KM
                ):
                    tally.event_places_right += 1
                else:
                    tally.notes.append(f"event place: {entry['anchor'][:50]!r} gold {entry['place']} got {event.place}")
        else:
            why = next(
                (
                    entry.get("why")
                    for entry, spans in non_events
                    if any(overlaps((s, e), event.start, event.end) for s, e in spans)
                ),
                None,
            )
            tally.notes.append(
                f"event FP ({why or 'other sentence'}): {event.action} {text[event.start : event.end][:90]!r}"
            )
    for entry, spans in gold_events:
        if not spans:
            continue
        tally.events_gold += 1
        if id(entry) in found:
            tally.events_found += 1
        else:
            tally.notes.append(f"event missed ({entry.get('action')}): {entry['anchor'][:80]!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gold", type=Path, default=ROOT / "benchmarks" / "realnews" / "gold" / "geo")
    parser.add_argument("--verbose", action="store_true", help="list every miss, trap and false positive")
    args = parser.parse_args()
    pages = json.loads(PAGES.read_text(encoding="utf-8"))
    files = sorted(args.gold.glob("*.json"))
    if not files:
        sys.exit(f"no gold files in {args.gold}")
    unspin.analyze(unspin.Document(text="Warm-up in Aleppo on Monday."), only=("places", "dates", "events"))
    total = Tally()
    per_page: dict[str, Any] = {}
    roles: set[str] = set()
    words = 0
    detector_seconds = 0.0
    began = time.perf_counter()
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        roles.add(str(gold.get("role")))
        text = body(gold, pages)
        words += len(text.split())
        published = dt.date.fromisoformat(gold["published"]) if gold.get("published") else None
        analysis = unspin.analyze(unspin.Document(text=text), only=("places", "dates", "events"), published=published)
        detector_seconds += sum(d.seconds for d in analysis.detectors if d.name in {"places", "dates", "events"})
        tally = Tally()
        score_places(text, gold, analysis, tally)
        score_dates(text, gold, analysis, tally)
        score_events(text, gold, analysis, tally)
        total.add(tally)
        page = tally.figures()
        if args.verbose:
            page["notes"] = tally.notes
        per_page[path.stem] = page
    out = {
        "gold": str(args.gold),
        "roles": sorted(roles),
        "pages": len(files),
        "words": words,
        "seconds": round(time.perf_counter() - began, 1),
        "places_dates_events_seconds_per_1000_words": round(1000 * detector_seconds / max(words, 1), 4),
        "overall": total.figures(),
        "per_page": per_page,
    }
    print(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
