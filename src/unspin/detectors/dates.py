"""Dates: every time expression in the document, resolved against the publication date (parsing and resolution:
`unspin.text.dates`).

The anchor is `--published` (`Options.published`), else the document's metadata date, else inferred from
the text (the latest full date it states, e.g. a dateline): then `document.published` is set to it with
`published_source` "inferred", and every relative date resolved against it is marked `inferred`.

A date stated without its year or week ("on Feb. 9", "in October", "on Tuesday") is resolved by the tense of
the verb it belongs to in spaCy's parse: an upcoming event ("will", "is scheduled to", "plans to") forward
from the anchor, a past one ("was shelled", "has fallen") backwards, otherwise the nearest occurrence.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from unspin.analysis import Document
from unspin.detectors.base import Findings, Parsed
from unspin.options import EARLIEST_PUBLISHED, LATEST_PUBLISHED, Options
from unspin.text.dates import Tense, TenseOf, infer_publication, resolve_dates

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

FUTURE_AUXILIARIES = frozenset({"will", "shall", "'ll", "wo"})
# "is scheduled to meet", "plans to vote", "is due to arrive", "is expected to", "is set to", "is going to"
FUTURE_LEMMAS = frozenset(
    {
        "schedule",
        "plan",
        "due",
        "expect",
        "set",
        "go",
        "intend",
        "aim",
        "prepare",
        "vow",
        "promise",
        "pledge",
        "threaten",
        "hope",
        "propose",
    }
)


def publication_anchor(document: Document, options: Options) -> tuple[dt.date | None, str | None]:
    """The date relative expressions count from, and where it came from."""
    if options.published:
        return options.published, "option"
    if document.published:
        try:
            published = dt.date.fromisoformat(document.published[:10])
        except ValueError:
            published = None
        # A date no news article carries (9999-12-31) would push date arithmetic off the calendar.
        if published is not None and EARLIEST_PUBLISHED <= published <= LATEST_PUBLISHED:
            return published, document.published_source or "metadata"
    inferred = infer_publication(document.text)
    return (inferred, "inferred") if inferred else (None, None)


class DatesDetector:
    name = "dates"
    # v2: "this week" is the calendar week, "a year ago" a month, "the 1300s" a century, a year-less date months
    # away with no tense takes the year the text last named, "nearly five years ago" the year holding most of it,
    # "1996-98" and "the first half of 2020" are ranges
    # v5: "the next day", "two days later", "later that year" count from the date stated before; with no
    # publication day a year-less date takes the year of the story's last full date, and a latest date years
    # before the text's last named year is no publication day; "May" alone needs a time word; centuries in words
    id = "unspin.dates.v5"
    languages = ("en",)  # English models and word lists
    requires: tuple[str, ...] = ()
    assigns = ("dates",)

    def __call__(self, parsed: Parsed) -> Findings:
        document = parsed.analysis.document
        anchor, source = publication_anchor(document, parsed.options)
        if source == "inferred" and anchor and not document.published:
            # the document says when it was published only through its text: record that, marked inferred
            parsed.analysis.document = document.model_copy(
                update={"published": anchor.isoformat(), "published_source": "inferred"}
            )
        dates = resolve_dates(parsed.text, anchor, inferred=source == "inferred", tense_of=tense_reader(parsed.doc))
        return {"dates": dates}


def tense_reader(doc: Doc) -> TenseOf:
    def tense_of(start: int, end: int) -> Tense:
        span = doc.char_span(start, end, alignment_mode="expand")
        return verb_tense(span.root) if span is not None and len(span) else "unknown"

    return tense_of


def verb_tense(token: Token) -> Tense:
    """Whether the verb that governs `token` reports a past event or announces one: walks up to the clause's
    verb, then through the verbs it completes ("is scheduled to [meet]", bounded), reading auxiliaries and
    morphology."""
    verbs: list[Token] = []
    tok = token
    for _ in range(12):
        if tok.pos_ in {"VERB", "AUX"} or tok.tag_ in {"MD"}:
            verbs.append(tok)
            if tok.dep_ not in {"xcomp", "ccomp", "conj", "aux", "auxpass"}:
                break
        if tok.head.i == tok.i:
            break
        tok = tok.head
    if not verbs:
        return "unknown"
    past = False
    for verb in verbs:
        words = [verb, *(c for c in verb.children if c.dep_ in {"aux", "auxpass"})]
        if any(w.lower_ in FUTURE_AUXILIARIES for w in words):
            return "future"
        if verb.lemma_.lower() in FUTURE_LEMMAS and any(c.dep_ == "xcomp" for c in verb.children):
            return "future"
        if any("Past" in w.morph.get("Tense", []) for w in words) or any(w.lemma_ == "have" for w in words[1:]):
            past = True
    return "past" if past else "unknown"
