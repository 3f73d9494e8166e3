"""Sentence features shared by the subjectivity and check-worthiness models (numpy only, no torch).

A sentence becomes [encoder embedding | lexical features | TF-IDF of word 1-2 grams]; the shipped models
(`unspin.models.linear.LinearModel`) are logistic regressions over those. Lexical features read spaCy tokens
(POS tags, entities), so training and inference see the same thing.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Span
    from spacy.tokens import Span as SpacySpan

TOKEN_RE = re.compile(r"(?u)\b\w\w+\b")

FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
SECOND = frozenset({"you", "your", "yours", "yourself", "yourselves"})
MODALS = frozenset({"should", "must", "ought", "would", "could", "might", "may", "can", "will", "shall", "need"})
HEDGES = frozenset(
    {
        "think",
        "believe",
        "feel",
        "seem",
        "seems",
        "seemed",
        "appear",
        "appears",
        "probably",
        "perhaps",
        "maybe",
        "likely",
        "possibly",
        "arguably",
        "suggest",
        "suggests",
        "guess",
        "hope",
        "doubt",
        "wonder",
        "apparently",
    }
)
BOOSTERS = frozenset(
    {
        "clearly",
        "obviously",
        "certainly",
        "surely",
        "really",
        "truly",
        "absolutely",
        "definitely",
        "indeed",
        "totally",
        "completely",
        "utterly",
        "very",
        "extremely",
        "incredibly",
        "so",
        "too",
        "just",
        "even",
        "only",
    }
)
NEGATIONS = frozenset({"not", "n't", "never", "no", "nothing", "nobody", "none", "neither", "nor"})
ATTRIBUTION_VERBS = frozenset(
    {
        "say",
        "tell",
        "report",
        "announce",
        "state",
        "claim",
        "according",
        "add",
        "note",
        "confirm",
        "deny",
        "estimate",
        "show",
        "find",
        "reveal",
        "accuse",
        "allege",
        "warn",
        "insist",
        "argue",
    }
)
ENTITY_GROUPS = (
    ("PERSON",),
    ("ORG",),
    ("GPE", "LOC", "FAC"),
    ("NORP",),
    ("DATE", "TIME"),
    ("CARDINAL", "QUANTITY", "ORDINAL"),
    ("MONEY",),
    ("PERCENT",),
    ("EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE"),
)
POS_TAGS = ("ADJ", "ADV", "VERB", "NOUN", "PROPN", "NUM", "PRON", "AUX", "DET", "INTJ")

LEXICAL_NAMES: tuple[str, ...] = (
    "log_words",
    *(f"pos_{p}" for p in POS_TAGS),
    "superlative",
    "comparative",
    *(f"ent_{g[0]}" for g in ENTITY_GROUPS),
    "n_entities",
    "has_digit",
    "n_numbers",
    "first_singular",
    "first_plural",
    "second_person",
    "modal",
    "hedge",
    "booster",
    "negation",
    "attribution",
    "question",
    "exclamation",
    "quote_mark",
    "past_tense",
    "present_tense",
)


_ENTS_KEY = "unspin.entities"


def span_entities(spans: Sequence[Span]) -> list[list[SpacySpan]]:
    """The entities inside each span, in one pass over the document's entities (`Span.ents` rescans them all)."""
    if not spans:
        return []
    doc = spans[0].doc
    if any(s.doc is not doc for s in spans):
        return [list(s.ents) for s in spans]
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:  # `Doc.ents` builds new spans on every access: keep one list per document
        cached = doc.user_data[_ENTS_KEY] = (list(doc.ents), [e.start for e in doc.ents])
    ents, starts = cached
    out = []
    for span in spans:
        i = bisect.bisect_left(starts, span.start)
        found = []
        while i < len(ents) and ents[i].start < span.end:
            if ents[i].end <= span.end:
                found.append(ents[i])
            i += 1
        out.append(found)
    return out


def lexical_features(span: Span, ents: Sequence[SpacySpan] | None = None) -> np.ndarray:
    """Counts and ratios from a spaCy span (a sentence): POS mix, entities, pronouns, modals, hedges ...

    `ents`: the span's entities when already known (see `span_entities`).
    """
    words = [t for t in span if not t.is_punct and not t.is_space]
    n = max(len(words), 1)
    lower = [t.lower_ for t in words]
    lemmas = [t.lemma_.lower() for t in words]
    pos = Counter(t.pos_ for t in words)
    tags = Counter(t.tag_ for t in words)
    labels = Counter(e.label_ for e in (span.ents if ents is None else ents))
    text = span.text

    def share(words_set: frozenset[str]) -> float:
        return sum(1 for w in lower if w in words_set) / n

    values = [
        math.log1p(len(words)),
        *(pos[p] / n for p in POS_TAGS),
        float(tags["JJS"] + tags["RBS"] > 0),
        float(tags["JJR"] + tags["RBR"] > 0),
        *(float(any(labels[label] for label in group)) for group in ENTITY_GROUPS),
        math.log1p(sum(labels.values())),
        float(any(c.isdigit() for c in text)),
        math.log1p(sum(1 for t in words if t.like_num)),
        share(FIRST_SINGULAR),
        share(FIRST_PLURAL),
        share(SECOND),
        share(MODALS),
        float(any(w in HEDGES for w in lower + lemmas)),
        share(BOOSTERS),
        share(NEGATIONS),
        float(any(lem in ATTRIBUTION_VERBS for lem in lemmas)),
        float("?" in text),
        float("!" in text),
        float(any(q in text for q in '"“”')),
        float(tags["VBD"] + tags["VBN"] > 0),
        float(tags["VBZ"] + tags["VBP"] > 0),
    ]
    return np.asarray(values, dtype=np.float32)


def ngrams(text: str) -> list[str]:
    """Lower-cased word unigrams and bigrams, as scikit-learn's `TfidfVectorizer(ngram_range=(1, 2))` makes them."""
    tokens = TOKEN_RE.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def tfidf(texts: Sequence[str], vocabulary: dict[str, int], idf: np.ndarray) -> np.ndarray:
    """Sublinear-tf, l2-normalised TF-IDF rows (dense), matching `TfidfVectorizer(sublinear_tf=True)`."""
    out = np.zeros((len(texts), len(vocabulary)), dtype=np.float32)
    for row, text in enumerate(texts):
        counts = Counter(g for g in ngrams(text) if g in vocabulary)
        for gram, count in counts.items():
            col = vocabulary[gram]
            out[row, col] = (1.0 + math.log(count)) * idf[col]
        norm = float(np.linalg.norm(out[row]))
        if norm > 0:
            out[row] /= norm
    return out
