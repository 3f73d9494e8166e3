"""Subjectivity per sentence: is it opinion (SUBJ) or a report of fact (OBJ)?

A logistic regression over the shared sentence encoder's embedding (and, if the shipped model says so,
lexical and TF-IDF features, and the logit of a "persuasive language" head trained on the Propaganda
Techniques Corpus over the same embedding, in `ptc/`), trained on NewsSD-ENG (`unspin train subjectivity`).
No torch at run time.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from unspin.analysis import Sentence
from unspin.detectors.base import Findings, Parsed
from unspin.models import model_dir
from unspin.models import sentence_encoder as encoder
from unspin.models.features import lexical_features, span_entities
from unspin.models.linear import LinearModel, load_linear

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

MODEL = "subjectivity"
# The auxiliary PTC head (a LinearModel over the embedding; its logit, already scaled, is the extra feature).
AUX_DIR = "ptc"
AUX_FEATURE = "ptc_persuasion"


@functools.cache
def load_aux(folder: Path | None = None) -> LinearModel:
    return LinearModel.load((folder if folder is not None else model_dir(MODEL)) / AUX_DIR)


def model_extra(model: LinearModel, embeddings: np.ndarray | None, folder: Path | None = None) -> np.ndarray | None:
    """The extra features the subjectivity model was trained with (the PTC head's logit), or None."""
    if not model.extra:
        return None
    if tuple(model.extra) != (AUX_FEATURE,) or embeddings is None:
        raise ValueError(f"subjectivity model wants unknown extra features {model.extra}")
    return load_aux(folder).logits(embeddings).astype(np.float32)[:, None]


def probabilities_from(texts: Sequence[str], embeddings: np.ndarray | None, lexical: np.ndarray | None) -> np.ndarray:
    """P(SUBJ) from precomputed embeddings and lexical features (as training reads them)."""
    model = load_linear(MODEL)
    return model.probabilities(model.features(texts, embeddings, lexical, model_extra(model, embeddings)))


def sentence_spans(doc: Doc) -> list[Span]:
    """spaCy's sentences, also cut at blank lines and before a capital after a line break (a headline),
    trimmed of whitespace tokens, skipping pieces with no letter or digit."""
    spans = []
    for sent in doc.sents:
        pieces: list[tuple[int, int]] = []
        begin = sent.start
        for token in sent:
            if token.i + 1 >= sent.end:
                break
            following = doc[token.i + 1]
            breaks = token.text.count("\n") if token.is_space else token.whitespace_.count("\n")
            # A blank line always ends a piece; a single line break only before a capital (a headline).
            if breaks >= 2 or (breaks == 1 and (following.is_title or following.is_upper or following.is_space)):
                pieces.append((begin, token.i + 1))
                begin = token.i + 1
        pieces.append((begin, sent.end))
        for start, end in pieces:
            while start < end and doc[start].is_space:
                start += 1
            while end > start and doc[end - 1].is_space:
                end -= 1
            if end > start and any(c.isalnum() for c in doc[start:end].text):
                spans.append(doc[start:end])
    return spans


EMBEDDINGS_KEY = "unspin.sentence_embeddings"


def embed_spans(spans: Sequence[Span], executor: Executor | None = None) -> np.ndarray:
    """Sentence vectors, kept per document in `Doc.user_data` so both sentence detectors share one pass."""
    if not spans:
        return np.zeros((0, encoder.DIM), dtype=np.float32)
    doc = spans[0].doc
    if any(s.doc is not doc for s in spans):  # sentences parsed one by one (evaluation): nothing to share
        return encoder.embed([s.text for s in spans], executor)
    cache: dict[tuple[int, int], np.ndarray] = doc.user_data.setdefault(EMBEDDINGS_KEY, {})
    keys = [(s.start_char, s.end_char) for s in spans]
    missing = [i for i, key in enumerate(keys) if key not in cache]
    if missing:
        vectors = encoder.embed([spans[i].text for i in missing], executor)
        for i, vec in zip(missing, vectors, strict=True):
            cache[keys[i]] = vec
    return np.vstack([cache[key] for key in keys])


def features(
    model: LinearModel, spans: Sequence[Span], extra: np.ndarray | None = None, executor: Executor | None = None
) -> np.ndarray:
    texts = [s.text for s in spans]
    emb = embed_spans(spans, executor) if model.use_embedding else None
    lex = (
        np.vstack([lexical_features(s, e) for s, e in zip(spans, span_entities(spans), strict=True)])
        if model.use_lexical
        else None
    )
    return model.features(texts, emb, lex, extra)


def probabilities(spans: Sequence[Span], executor: Executor | None = None, folder: Path | None = None) -> np.ndarray:
    """P(SUBJ) per sentence, with the shipped model or the one in `folder`."""
    if not spans:
        return np.zeros(0)
    model = load_linear(MODEL, folder)
    emb = embed_spans(spans, executor) if model.use_embedding or model.extra else None
    lex = (
        np.vstack([lexical_features(s, e) for s, e in zip(spans, span_entities(spans), strict=True)])
        if model.use_lexical
        else None
    )
    return model.probabilities(model.features([s.text for s in spans], emb, lex, model_extra(model, emb, folder)))


class SubjectivityDetector:
    name = "subjectivity"
    id = "unspin.subjectivity.v2"
    languages = ("en",)  # English models and word lists
    model_ids: ClassVar[dict[str, str]] = {
        "subjectivity": "unspin.subjectivity.v2",
        "sentence_encoder": "all-MiniLM-L6-v2-2layers-int8",
    }
    requires: tuple[str, ...] = ()
    assigns = ("sentences",)

    def __call__(self, parsed: Parsed) -> Findings:
        spans = sentence_spans(parsed.doc)
        model = load_linear(MODEL)
        probs = probabilities(spans, parsed.executor)
        sentences = [
            Sentence(
                start=span.start_char,
                end=span.end_char,
                subjective=bool(p >= model.threshold),
                subjectivity=round(float(p), 4),
            )
            for span, p in zip(spans, probs, strict=True)
        ]
        return {"sentences": sentences}
