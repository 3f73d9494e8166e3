"""Check-worthy claims: sentences scored by how worth checking they are, with their quantities and entities.

The score is a logistic regression trained on ClaimBuster / CheckThat! 2024 debate sentences over the shared
sentence embedding, lexical features, TF-IDF and three news features that carry it across to news: the
sentence holds a normalised quantity or date, names an actor or place, and its subjectivity probability
(so a factual statement with numbers, dates and named actors scores higher, pure opinion lower).
A claim that asserts a fact and cites no source (no quote, no reported speech, no "according to") is
flagged `attributed=False`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from unspin.analysis import Claim, Entity, Quantity
from unspin.detectors import available
from unspin.detectors import subjectivity as subj
from unspin.detectors.base import Findings, Parsed
from unspin.detectors.quantities import find_quantities
from unspin.models.features import LEXICAL_NAMES, lexical_features, span_entities
from unspin.models.linear import load_linear

if TYPE_CHECKING:
    from spacy.tokens import Span

MODEL = "checkworthiness"
NEWS_FEATURES = ("has_quantity", "has_named_entity", "subjectivity")
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"})
_ATTRIBUTION_RE = re.compile(
    r"\b(according\s+to|(?:said|says|say|told|tells|reported|reports|announced|claimed|claims|stated|states|"
    r"estimated|estimates|confirmed|denied|alleged|insisted|added|noted|wrote|quoted|cited)\b)",
    re.IGNORECASE,
)
_QUOTE_CHARS = '"“”'


def sentence_quantities(span: Span, ents: Sequence[Span]) -> list[Quantity]:
    """Normalised quantities in a sentence, plus spaCy DATE/TIME entities the patterns missed ('last week')."""
    found = find_quantities(span.text, offset=span.start_char)
    for ent in ents:
        if ent.label_ in ("DATE", "TIME") and not any(q.start < ent.end_char and ent.start_char < q.end for q in found):
            found.append(Quantity(start=ent.start_char, end=ent.end_char, text=ent.text, kind="date"))
    found.sort(key=lambda q: q.start)
    return found


def sentence_entities(ents: Sequence[Span]) -> list[Entity]:
    return [
        Entity(start=e.start_char, end=e.end_char, text=e.text, label=e.label_)
        for e in ents
        if e.label_ in NAMED_LABELS
    ]


_NAMED_COLUMNS = [LEXICAL_NAMES.index(f"ent_{g}") for g in ("PERSON", "ORG", "GPE", "NORP", "EVENT")]
_NUMERIC_COLUMNS = [LEXICAL_NAMES.index(f"ent_{g}") for g in ("DATE", "CARDINAL", "MONEY", "PERCENT")]


def news_features(texts: Sequence[str], lexical: np.ndarray, subjectivity: np.ndarray) -> np.ndarray:
    """[has a quantity or date, names an actor or place, subjectivity] per sentence (from its lexical features)."""
    has_quantity = np.asarray([bool(find_quantities(t)) for t in texts], dtype=np.float32)
    if len(texts):
        has_quantity = np.maximum(has_quantity, lexical[:, _NUMERIC_COLUMNS].max(axis=1))
    has_named = lexical[:, _NAMED_COLUMNS].max(axis=1) if len(texts) else np.zeros(0, dtype=np.float32)
    return np.column_stack([has_quantity, has_named, subjectivity]).astype(np.float32).reshape(len(texts), 3)


def checkworthiness(
    spans: Sequence[Span],
    subjectivity: np.ndarray | None = None,
    executor: Executor | None = None,
    folder: Path | None = None,
) -> np.ndarray:
    """Probability that each sentence is worth checking (shipped model, or the one in `folder`);
    `subjectivity` is computed when not given."""
    if not spans:
        return np.zeros(0)
    model = load_linear(MODEL, folder)
    if subjectivity is None:
        subjectivity = subj.probabilities(spans, executor)
    texts = [s.text for s in spans]
    lexical = np.vstack([lexical_features(s, e) for s, e in zip(spans, span_entities(spans), strict=True)])
    extra = news_features(texts, lexical, subjectivity) if model.extra else None
    emb = subj.embed_spans(spans, executor) if model.use_embedding else None
    return model.probabilities(model.features(texts, emb, lexical, extra))


REPORTING_LEMMAS = frozenset(
    {
        "say", "tell", "claim", "state", "announce", "report", "add", "insist", "argue", "allege", "warn", "note",
        "confirm", "deny", "estimate", "write", "explain", "assert", "suggest", "maintain", "acknowledge", "admit",
    }
)  # fmt: skip


def claim_clause(span: Span) -> Span:
    """The clause that carries the claim: the reported clause of '<who> said (that) <clause>', else the sentence."""
    root = span.root
    if root.lemma_.lower() not in REPORTING_LEMMAS:
        return span
    for child in root.children:
        if child.dep_ == "ccomp" and span.start <= child.left_edge.i and child.right_edge.i < span.end:
            start, end = child.left_edge.i, child.right_edge.i + 1
            doc = span.doc
            while start < end and (doc[start].dep_ == "mark" or doc[start].is_punct or doc[start].is_quote):
                start += 1
            while end > start and (doc[end - 1].is_punct or doc[end - 1].is_quote or doc[end - 1].is_space):
                end -= 1
            clause = doc[start:end]
            quotes = sum(clause.text.count(q) for q in '"“”')
            if end - start >= 4 and quotes % 2 == 0:  # never cut a quotation in half
                return clause
    return span


def ents_in(span: Span) -> list[Span]:
    return span_entities([span])[0]


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


class ClaimsDetector:
    name = "claims"
    id = "unspin.claims.v1"
    languages = ("en",)  # English models and word lists
    model_ids: ClassVar[dict[str, str]] = {
        "checkworthiness": "unspin.checkworthiness",
        "sentence_encoder": "all-MiniLM-L6-v2-2layers-int8",
    }
    assigns = ("claims",)

    def __init__(self) -> None:
        # Attribution comes from the quotes/sources detector when it is installed.
        self.requires: tuple[str, ...] = ("subjectivity", "sources") if "sources" in available() else ("subjectivity",)

    def __call__(self, parsed: Parsed) -> Findings:
        spans = subj.sentence_spans(parsed.doc)
        if not spans:
            return {"claims": []}
        model = load_linear(MODEL)
        known = {(s.start, s.end): s.subjectivity for s in parsed.analysis.sentences}
        if all((s.start_char, s.end_char) in known for s in spans):
            subjectivity = np.asarray([known[(s.start_char, s.end_char)] for s in spans])
        else:
            subjectivity = subj.probabilities(spans, parsed.executor)
        scores = checkworthiness(spans, subjectivity, parsed.executor)
        quoted = [(q.start, q.end) for q in parsed.analysis.quotes]
        attributions = [(a.start, a.end) for a in parsed.analysis.attributions if a.kind == "verb"]
        claims = []
        for span, score, p_subj in zip(spans, scores, subjectivity, strict=True):
            if score < model.threshold:
                continue
            start, end = span.start_char, span.end_char
            attributed: bool | None
            if (
                _overlaps(start, end, quoted)
                or _overlaps(start, end, attributions)
                or _ATTRIBUTION_RE.search(span.text)
                or any(c in span.text for c in _QUOTE_CHARS)
            ):
                attributed = True
            elif p_subj < 0.5 and not span.text.rstrip().endswith("?"):
                attributed = False  # an assertion of fact that cites no source
            else:
                attributed = None
            clause = claim_clause(span)
            if clause is not span:
                attributed = True  # reported speech: the claim is the speaker's
            claims.append(
                Claim(
                    start=clause.start_char,
                    end=clause.end_char,
                    text=clause.text,
                    checkworthiness=round(float(score), 4),
                    quantities=sentence_quantities(clause, ents_in(clause)),
                    entities=sentence_entities(ents_in(clause)),
                    attributed=attributed,
                )
            )
        claims.sort(key=lambda c: (-c.checkworthiness, c.start))
        return {"claims": claims}
