"""Events: placeholder until the events detector lands (same session)."""

from __future__ import annotations

from unspin.detectors.base import Findings, Parsed


class EventsDetector:
    name = "events"
    id = "unspin.events.v1"
    requires: tuple[str, ...] = ("places", "dates")
    assigns = ("events",)

    def __call__(self, parsed: Parsed) -> Findings:
        return {"events": []}
