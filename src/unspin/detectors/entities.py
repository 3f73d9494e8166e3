"""Named entities straight from the shared spaCy pass."""

from __future__ import annotations

from unspin.analysis import Entity
from unspin.detectors.base import Findings, Parsed


class EntitiesDetector:
    name = "entities"
    id = "unspin.entities.v1"
    languages = ("en",)  # English models and word lists
    requires: tuple[str, ...] = ()
    assigns = ("entities",)

    def __call__(self, parsed: Parsed) -> Findings:
        entities = [
            Entity(start=ent.start_char, end=ent.end_char, text=ent.text, label=ent.label_) for ent in parsed.doc.ents
        ]
        return {"entities": entities}
