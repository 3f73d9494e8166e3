"""Attach record matches to events: from a GED CSV (`--records`), else from the store when it holds records."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from unspin.analysis import Event, Place
from unspin.crosscheck.ged import GedRecord, read_records
from unspin.crosscheck.matching import event_period, match_event, window_for

log = logging.getLogger(__name__)


# GED records organised violence with deaths: aid, talks, protests and withdrawals are not matched.
MATCHED_ACTIONS = frozenset({"attack", "air_strike", "shelling", "kill", "capture", "siege"})
MAX_PERIOD_DAYS = 31  # a months-long siege or "since 2015" is no single record


def matchable(event: Event, anchor: dt.date | None) -> bool:
    if event.action not in MATCHED_ACTIONS:
        return False
    period = event_period(event, anchor)
    return period is not None and (period.end - period.start).days <= MAX_PERIOD_DAYS


def load_for(events: list[Event], anchor: dt.date | None, records: Path | None) -> list[GedRecord]:
    """Only the records near the events: streamed from the file, or queried from the store."""
    window = window_for([e for e in events if matchable(e, anchor)], anchor)
    if records is not None:
        return read_records(records, window)
    from unspin.store import records as stored

    if not stored.has_records():
        return []
    return stored.query_records(window)


def cross_check(events: list[Event], places: list[Place], anchor: dt.date | None, records: Path | None) -> None:
    if not any(matchable(e, anchor) for e in events):
        if records is not None:  # still validate the file the user named
            read_records(records, window_for([], anchor), limit=1)
        return
    candidates = load_for(events, anchor, records)
    if not candidates:
        return
    features = {(p.name, p.lat, p.lon): p.feature for p in places}
    for event in events:
        if not matchable(event, anchor):
            continue
        feature = features.get((event.place or "", event.lat or 0.0, event.lon or 0.0))
        event.matches = match_event(event, candidates, anchor, feature)
