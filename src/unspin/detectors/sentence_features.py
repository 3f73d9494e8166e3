"""Sentence features shared by the subjectivity and check-worthiness models (numpy only, no torch).

A sentence becomes [encoder embedding | lexical features | TF-IDF of word 1-2 grams]; a shipped model is
a logistic regression over those, stored as `.npz` weights plus a `.json` vocabulary (`LinearModel`).
Lexical features read spaCy tokens (POS tags, entities), so training and inference see the same thing.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from unspin.errors import ModelMissing

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


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression over [embedding | standardised lexical | TF-IDF], with a decision threshold.

    Files: `weights.npz` (coef, intercept, lex_mean, lex_scale, idf, emb_scale) and `model.json` (vocabulary,
    threshold, id, feature blocks in use).
    """

    id: str
    coef: np.ndarray
    intercept: float
    lex_mean: np.ndarray
    lex_scale: np.ndarray
    vocabulary: dict[str, int]
    idf: np.ndarray
    threshold: float
    use_embedding: bool
    use_lexical: bool
    use_tfidf: bool
    extra: tuple[str, ...] = ()

    def features(
        self,
        texts: Sequence[str],
        embeddings: np.ndarray | None,
        lexical: np.ndarray | None,
        extra: np.ndarray | None = None,
    ) -> np.ndarray:
        blocks: list[np.ndarray] = []
        if self.use_embedding:
            assert embeddings is not None
            blocks.append(embeddings)
        if self.use_lexical:
            assert lexical is not None
            blocks.append((lexical - self.lex_mean) / self.lex_scale)
        if self.extra:
            assert extra is not None
            blocks.append(extra)
        if self.use_tfidf:
            blocks.append(tfidf(texts, self.vocabulary, self.idf))
        return np.hstack(blocks) if blocks else np.zeros((len(texts), 0), dtype=np.float32)

    def logits(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(features @ self.coef + self.intercept, dtype=np.float64)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        result: np.ndarray = 1.0 / (1.0 + np.exp(-self.logits(features)))
        return result

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "weights.npz",
            coef=self.coef.astype(np.float32),
            intercept=np.asarray([self.intercept], dtype=np.float64),
            lex_mean=self.lex_mean.astype(np.float32),
            lex_scale=self.lex_scale.astype(np.float32),
            idf=self.idf.astype(np.float32),
        )
        meta = {
            "id": self.id,
            "threshold": self.threshold,
            "use_embedding": self.use_embedding,
            "use_lexical": self.use_lexical,
            "use_tfidf": self.use_tfidf,
            "extra": list(self.extra),
            "lexical_features": list(LEXICAL_NAMES),
            "vocabulary": self.vocabulary,
        }
        (folder / "model.json").write_text(json.dumps(meta, indent=0, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LinearModel:
        weights, meta_path = folder / "weights.npz", folder / "model.json"
        if not weights.is_file() or not meta_path.is_file():
            raise ModelMissing(f"model files missing from {folder}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if list(meta["lexical_features"]) != list(LEXICAL_NAMES):
            raise ModelMissing(f"model in {folder} was trained with other lexical features; train it again")
        with np.load(weights, allow_pickle=False) as data:
            return cls(
                id=str(meta["id"]),
                coef=data["coef"].astype(np.float32),
                intercept=float(data["intercept"][0]),
                lex_mean=data["lex_mean"],
                lex_scale=data["lex_scale"],
                vocabulary={str(k): int(v) for k, v in meta["vocabulary"].items()},
                idf=data["idf"],
                threshold=float(meta["threshold"]),
                use_embedding=bool(meta["use_embedding"]),
                use_lexical=bool(meta["use_lexical"]),
                use_tfidf=bool(meta["use_tfidf"]),
                extra=tuple(meta.get("extra", [])),
            )


MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


@functools.cache
def load_model(name: str) -> LinearModel:
    """A shipped model by folder name (`subjectivity`, `checkworthiness`), once per process."""
    return LinearModel.load(MODELS_DIR / name)
