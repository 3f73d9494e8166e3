"""Attach record matches to events, from the record source the caller handed to the pipeline."""

from __future__ import annotations

import datetime as dt
import logging

from unspin.analysis import Event, Place
from unspin.crosscheck.matching import event_period, match_event, window_for
from unspin.crosscheck.sources import RecordSource

log = logging.getLogger(__name__)


# GED records organised violence with deaths: aid, talks, protests and withdrawals are not matched.
MATCHED_ACTIONS = frozenset({"attack", "air_strike", "shelling", "kill", "capture", "siege"})
MAX_PERIOD_DAYS = 31  # a months-long siege or "since 2015" is no single record


def matchable(event: Event, anchor: dt.date | None) -> bool:
    if event.action not in MATCHED_ACTIONS:
        return False
    period = event_period(event, anchor)
    return period is not None and (period.end - period.start).days <= MAX_PERIOD_DAYS


def cross_check(events: list[Event], places: list[Place], anchor: dt.date | None, source: RecordSource | None) -> None:
    """Fill `event.matches` for the events a record could match, with only the records near them."""
    if source is None:
        return
    matchable_events = [e for e in events if matchable(e, anchor)]
    if not matchable_events:
        source.check()  # a records file the user named is validated even when nothing needs it
        return
    candidates = source.records(window_for(matchable_events, anchor))
    if not candidates:
        return
    features = {(p.name, p.lat, p.lon): p.feature for p in places}
    for event in matchable_events:
        feature = features.get((event.place or "", event.lat or 0.0, event.lon or 0.0))
        event.matches = match_event(event, candidates, anchor, feature)
