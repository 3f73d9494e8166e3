"""An event trigger in a sentence without a verb (a headline, a book title) is read, not looped over forever:
the walk up to the trigger's verb stops at the sentence's root (spaCy hands out a new Token object at every
access, so the root is recognised by its index, not by identity)."""

from __future__ import annotations

import threading

from unspin import nlp
from unspin.detectors import events


def test_events_trigger_under_a_verbless_root_is_not_hypothetical_and_returns() -> None:
    doc = nlp.parse("Deadly air strikes on the outskirts of Aleppo\n")
    root = next(token for token in doc if token.dep_ == "ROOT")
    assert root.pos_ not in {"VERB", "AUX"}
    answers: list[bool] = []
    walker = threading.Thread(target=lambda: answers.append(events._hypothetical(root)), daemon=True)
    walker.start()
    walker.join(timeout=30)
    assert answers == [False]
