"""Check-worthy claims: sentences scored by how worth checking they are, with their quantities and entities.

Three steps.
1. A logistic regression trained on ClaimBuster / CheckThat! 2024 debate sentences over the shared sentence
   embedding, lexical features and three news features (the sentence holds a normalised quantity or date,
   names an actor or place, its subjectivity probability), its logit recalibrated (Platt) on out-of-fold
   predictions, so the probability means what it says on the training distribution.
2. A news ranker (`checkworthiness/news`, `unspin train news-claims`): a second logistic regression, trained on
   the project's own hand-annotated real news pages, over the same embedding, the debate model's logit and the
   shape of a news sentence (`rank_features`: its place in the article, quotation and attribution, named
   actors, numbers, dates, predictions, hedges, non-events, fragments, first and second person). Its
   probability is calibrated on news: of the sentences it scores near 0.8, about four in five were marked
   check-worthy on pages it was not trained on. Questions and boilerplate (`news_shape`) are never claims.
3. The cut (`select`): a claim is `selected` when its news probability reaches the ranker's cut and it ranks
   within the share of the article's sentences a fact-checker could look at; the claims below the cut but
   above a floor stay in the JSON (`selected: false`, shown with `--all-claims`).

A claim that asserts a fact and cites no source (no quote, no reported speech, no "according to") is
flagged `attributed=False`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from unspin.analysis import Analysis, Claim, Entity, Quantity
from unspin.detectors import available
from unspin.detectors import subjectivity as subj
from unspin.detectors.base import Findings, Parsed
from unspin.detectors.dates import publication_anchor, tense_reader
from unspin.models.features import LEXICAL_NAMES, lexical_features, span_entities
from unspin.models.linear import load_linear
from unspin.text.quantities import find_quantities

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

# -- the shape of a news sentence ---------------------------------------------------------------------------
# Questions and boilerplate are never claims; the other shapes are inputs of the news ranker, which learnt
# from annotated news how much each one matters (`rank_features`).
NOT_A_CLAIM = "question", "boilerplate"
RANK_MODEL = "checkworthiness/news"
# The default cut (`Claim.selected`): a news probability of at least NEWS_CUT, and no more than MAX_SHARE of
# the article's sentences. Chosen by leave-one-batch-out cross-validation over the annotated real pages
# (`unspin train news-claims`, BENCHMARKS.md); the project's target is a fifth to a third of a report, at
# most 40%. Sentences under the cut but at least LIST_FLOOR stay in the JSON as claims not selected.
NEWS_CUT = 0.4
MAX_SHARE = 0.4
LIST_FLOOR = 0.25
_BOILERPLATE_RE = re.compile(
    r"^(read more|related|see also|watch|listen|subscribe|sign up|click|follow us|share this|advertisement)\b|"
    r"\b(all rights reserved|copyright|newsletter|getty images|photo credit|file photo|this story has been "
    r"(?:updated|corrected)|contributed to this report|for more (?:news|stories))\b|©|^\(?(?:photo|image|video)\s*:|"
    # a site's own polls and offers ("Completing this poll grants you access to ... updates free of charge")
    r"\b(?:grants?|gives?) you (?:free )?access\b|\bupdates free of charge\b|\b(?:complete|completing|take|taking) "
    r"(?:this|our) (?:poll|survey)\b|\bexercise your right to vote\b",
    re.IGNORECASE,
)
_PLAN_LEMMAS = frozenset(
    {"plan", "expect", "intend", "aim", "hope", "set", "schedule", "scheduled", "poise", "vow", "pledge", "promise"}
)
_HEDGE_WORDS = frozenset({"may", "might", "could", "perhaps", "maybe", "possibly", "probably", "likely", "unlikely"})
_NO_WORDS = frozenset({"no", "none", "nobody", "nothing"})


def news_shape(span: Span) -> str | None:
    """What kind of sentence this is for a fact-checker, when it is not a plain assertion: "question",
    "boilerplate", "non-event" ("No injuries were reported."), "fragment" (a heading, a caption, a dateline),
    "prediction" ("will", "plans to") or "hedged" ("may", "might", "perhaps"); None for a plain assertion."""
    text = span.text.strip()
    bare = text.rstrip("\"'”’ )")
    if bare.endswith("?"):
        return "question"
    if _BOILERPLATE_RE.search(text):
        return "boilerplate"
    words = [t for t in span if not (t.is_punct or t.is_space)]
    root = span.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and (
        subject.lower_ in _NO_WORDS or any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)
    ):
        return "non-event"
    if len(words) < 4 or not any(t.pos_ in ("VERB", "AUX") for t in words):
        return "fragment"
    aux = {c.lower_ for c in root.children if c.dep_ in ("aux", "auxpass")}
    if (
        aux & {"will", "shall", "'ll", "’ll", "wo"}
        or (root.lemma_.lower() in _PLAN_LEMMAS and any(c.dep_ == "xcomp" for c in root.children))
        or (root.lower_ == "going" and any(c.dep_ == "xcomp" for c in root.children))
    ):
        return "prediction"
    if aux & _HEDGE_WORDS or any(c.dep_ == "advmod" and c.lower_ in _HEDGE_WORDS for c in root.children):
        return "hedged"
    return None


RANK_FEATURES = (
    "debate_logit", "subjectivity", "non_event", "fragment", "prediction", "hedged", "people", "organisations_places",
    "has_number", "has_date", "position", "lead", "first_sentence", "quoted_share", "attributed", "log_words",
    "short", "first_person", "second_person", "exclamation", "starts_with_name",
)  # fmt: skip
_PEOPLE = frozenset({"PERSON"})
_ORGANISATIONS_PLACES = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})
_NUMBERS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
_DATES = frozenset({"DATE", "TIME"})
_FIRST_PERSON = frozenset({"i", "we", "my", "our", "me", "us"})
_SECOND_PERSON = frozenset({"you", "your"})


def rank_features(
    spans: Sequence[Span],
    shapes: Sequence[str | None],
    calibrated: np.ndarray,
    subjectivity: np.ndarray,
    quoted: Sequence[tuple[int, int]],
    attributions: Sequence[tuple[int, int]],
) -> np.ndarray:
    """The news ranker's inputs per sentence (`RANK_FEATURES`, in order): the debate model's logit, the
    subjectivity probability, the sentence's shape (`news_shape`), its named actors, numbers and dates, its place
    in the article, how much of it is a direct quotation (`quoted`: character spans), whether it reports speech
    (`attributions`: spans of attribution verbs, or an attribution phrase in the text), its length and person."""
    rows = np.zeros((len(spans), len(RANK_FEATURES)), dtype=np.float32)
    last = max(1, len(spans) - 1)
    p = np.clip(np.asarray(calibrated, dtype=np.float64), 1e-4, 1 - 1e-4)
    debate_logits = np.log(p / (1 - p))
    for i, (span, shape) in enumerate(zip(spans, shapes, strict=True)):
        start, end = span.start_char, span.end_char
        labels = [e.label_ for e in ents_in(span)]
        words = [t for t in span if not (t.is_punct or t.is_space)]
        lower = {t.lower_ for t in words}
        quoted_chars = sum(min(e, end) - max(s, start) for s, e in quoted if s < end and start < e)
        rows[i] = (
            debate_logits[i],
            subjectivity[i],
            shape == "non-event",
            shape == "fragment",
            shape == "prediction",
            shape == "hedged",
            min(3, sum(label in _PEOPLE for label in labels)) / 3,
            min(3, sum(label in _ORGANISATIONS_PLACES for label in labels)) / 3,
            any(label in _NUMBERS for label in labels),
            any(label in _DATES for label in labels),
            i / last,
            max(0, 5 - i) / 5,
            i == 0,
            quoted_chars / max(1, end - start),
            _overlaps(start, end, attributions) or bool(_ATTRIBUTION_RE.search(span.text)),
            np.log1p(len(words)),
            len(words) < 8,
            bool(lower & _FIRST_PERSON),
            bool(lower & _SECOND_PERSON),
            span.text.rstrip().endswith("!"),
            bool(words) and words[0].pos_ == "PROPN",
        )
    return rows


def news_probabilities(
    spans: Sequence[Span],
    calibrated: np.ndarray,
    subjectivity: np.ndarray,
    quoted: Sequence[tuple[int, int]],
    attributions: Sequence[tuple[int, int]],
    executor: Executor | None = None,
    folder: Path | None = None,
) -> np.ndarray:
    """The news ranker's probability that each sentence is worth checking (0 for questions and boilerplate)."""
    if not spans:
        return np.zeros(0)
    ranker = load_linear(RANK_MODEL, folder)
    shapes = [news_shape(span) for span in spans]
    extra = rank_features(spans, shapes, calibrated, subjectivity, quoted, attributions)
    emb = subj.embed_spans(spans, executor) if ranker.use_embedding else None
    probabilities = ranker.probabilities(ranker.features([s.text for s in spans], emb, None, extra))
    return np.where(never_claims(shapes), 0.0, probabilities)


def never_claims(shapes: Sequence[str | None]) -> np.ndarray:
    """Which sentences are never claims, whatever a model says: questions and boilerplate."""
    return np.asarray([shape in NOT_A_CLAIM for shape in shapes], dtype=bool)


def sentence_subjectivity(spans: Sequence[Span], analysis: Analysis, executor: Executor | None = None) -> np.ndarray:
    """P(opinion) per sentence: the subjectivity detector's, when it ran on these sentences, else computed."""
    known = {(s.start, s.end): s.subjectivity for s in analysis.sentences}
    if all((s.start_char, s.end_char) in known for s in spans):
        return np.asarray([known[(s.start_char, s.end_char)] for s in spans])
    return subj.probabilities(spans, executor)


def ranker_spans(analysis: Analysis) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """What the ranker reads of the sources detector's findings: direct quotations and attribution verbs."""
    direct = [(q.start, q.end) for q in analysis.quotes if q.kind == "direct"]
    attributions = [(a.start, a.end) for a in analysis.attributions if a.kind == "verb"]
    return direct, attributions


def select(scores: np.ndarray, cut: float, max_share: float) -> np.ndarray:
    """Which sentences make the default cut: score >= `cut`, and among the best `max_share` of the article's
    sentences (at least one when any passes the cut)."""
    chosen = np.zeros(len(scores), dtype=bool)
    if not len(scores):
        return chosen
    limit = max(1, round(max_share * len(scores)))
    order = np.argsort(-scores, kind="stable")[:limit]
    chosen[order] = scores[order] >= cut
    return chosen


def sentence_quantities(span: Span, ents: Sequence[Span], anchor: dt.date | None = None) -> list[Quantity]:
    """Normalised quantities in a sentence, plus spaCy DATE/TIME entities the patterns missed ('last week');
    a year-less date takes the year the sentence's tense points to, as in the dates detector."""
    reader = tense_reader(span.doc)
    found = find_quantities(
        span.text,
        offset=span.start_char,
        anchor=anchor,
        tense_of=lambda s, e: reader(s + span.start_char, e + span.start_char),
    )
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
    doc = span.doc
    for child in root.children:
        if child.dep_ == "ccomp" and span.start <= child.left_edge.i and child.right_edge.i < span.end:
            start, end = child.left_edge.i, child.right_edge.i + 1
            if end <= root.i and any(t.text in (":", ";") for t in doc[end : root.i]):
                continue  # "The cost is staggering: the World Bank estimated ...": a comment, not what was said
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
    # v3: a site's polls and offers ("Completing this poll grants you access ...") are boilerplate
    id = "unspin.claims.v3"
    languages = ("en",)  # English models and word lists
    model_ids: ClassVar[dict[str, str]] = {
        "checkworthiness": "unspin.checkworthiness",
        "news_ranker": "unspin.checkworthiness.news",
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
        subjectivity = sentence_subjectivity(spans, parsed.analysis, parsed.executor)
        calibrated = checkworthiness(spans, subjectivity, parsed.executor)
        quoted = [(q.start, q.end) for q in parsed.analysis.quotes if q.kind != "title"]
        direct, attributions = ranker_spans(parsed.analysis)
        scores = news_probabilities(spans, calibrated, subjectivity, direct, attributions, parsed.executor)
        chosen = select(scores, NEWS_CUT, MAX_SHARE)
        anchor, _ = publication_anchor(parsed.analysis.document, parsed.options)
        claims = []
        for span, score, p_subj, is_selected in zip(spans, scores, subjectivity, chosen, strict=True):
            if score < LIST_FLOOR and not is_selected:
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
                    selected=bool(is_selected),
                    quantities=sentence_quantities(clause, ents_in(clause), anchor),
                    entities=sentence_entities(ents_in(clause)),
                    attributed=attributed,
                )
            )
        claims.sort(key=lambda c: (-c.checkworthiness, c.start))
        return {"claims": claims}
