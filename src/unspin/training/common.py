"""What both sentence classifiers' training shares: features with a disk cache, CV, threshold choice, export.

Needs scikit-learn (the `unspin[train]` extra). Hyper-parameters and thresholds are chosen by stratified
cross-validation on the training file only; validation/dev files are only scored, never trained on.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from unspin.models import sentence_encoder as encoder
from unspin.models.features import LEXICAL_NAMES, lexical_features
from unspin.models.linear import LinearModel

log = logging.getLogger(__name__)

CACHE_DIR = Path(os.environ.get("UNSPIN_TRAIN_CACHE", "/tmp/unspin-train-cache"))


def _key(texts: Sequence[str], what: str) -> Path:
    digest = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:20]
    return CACHE_DIR / f"{what}-{digest}.npy"


def embeddings(texts: Sequence[str]) -> np.ndarray:
    path = _key(texts, f"emb-{encoder.fingerprint()}-{encoder.MAX_TOKENS}-b{encoder.BATCH}")
    if path.is_file():
        cached: np.ndarray = np.load(path)
        return cached
    vectors = encoder.embed(list(texts))
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def lexical(texts: Sequence[str]) -> np.ndarray:
    path = _key(texts, f"lex-{len(LEXICAL_NAMES)}-{hashlib.sha1(' '.join(LEXICAL_NAMES).encode()).hexdigest()[:8]}")
    if path.is_file():
        cached: np.ndarray = np.load(path)
        return cached
    from unspin.nlp import load_spacy

    nlp = load_spacy()
    rows = [lexical_features(doc[:]) for doc in nlp.pipe(list(texts), batch_size=256)]
    values = np.vstack(rows).astype(np.float32)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    np.save(path, values)
    return values


@dataclass
class Config:
    use_embedding: bool = True
    use_lexical: bool = True
    use_tfidf: bool = True
    C: float = 1.0
    balanced: bool = True
    min_df: int = 2
    max_features: int = 20000

    def label(self) -> str:
        blocks = "+".join(
            b for b, on in (("emb", self.use_embedding), ("lex", self.use_lexical), ("tfidf", self.use_tfidf)) if on
        )
        return f"{blocks} C={self.C} balanced={self.balanced}"


@dataclass
class Fitted:
    model: LinearModel
    config: Config
    cv_score: float
    cv_threshold: float
    cv_table: list[dict[str, Any]] = field(default_factory=list)
    oof: np.ndarray = field(default_factory=lambda: np.zeros(0))  # out-of-fold probabilities, chosen config


def fit(
    model_id: str,
    texts: Sequence[str],
    y: np.ndarray,
    emb: np.ndarray,
    lex: np.ndarray,
    config: Config,
    threshold: float,
    extra: np.ndarray | None = None,
    extra_names: tuple[str, ...] = (),
) -> LinearModel:
    """Logistic regression on all the given rows, exported to numpy weights."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    lex_mean = lex.mean(axis=0)
    lex_scale = lex.std(axis=0)
    lex_scale[lex_scale < 1e-6] = 1.0
    vocabulary: dict[str, int] = {}
    idf = np.zeros(0, dtype=np.float32)
    if config.use_tfidf:
        vectorizer = TfidfVectorizer(
            lowercase=True,
            token_pattern=r"(?u)\b\w\w+\b",
            ngram_range=(1, 2),
            min_df=config.min_df,
            max_features=config.max_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        vectorizer.fit(texts)
        vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
        idf = vectorizer.idf_.astype(np.float32)
    shell = LinearModel(
        id=model_id,
        coef=np.zeros(0, dtype=np.float32),
        intercept=0.0,
        lex_mean=lex_mean,
        lex_scale=lex_scale,
        vocabulary=vocabulary,
        idf=idf,
        threshold=threshold,
        use_embedding=config.use_embedding,
        use_lexical=config.use_lexical,
        use_tfidf=config.use_tfidf,
        extra=extra_names,
    )
    x = shell.features(texts, emb, lex, extra)
    clf = LogisticRegression(C=config.C, class_weight="balanced" if config.balanced else None, max_iter=3000)
    clf.fit(x, y)
    return LinearModel(
        **{**shell.__dict__, "coef": clf.coef_[0].astype(np.float32), "intercept": float(clf.intercept_[0])}
    )


Metric = Callable[[np.ndarray, np.ndarray], float]


def best_threshold(y: np.ndarray, p: np.ndarray, metric: Metric) -> tuple[float, float]:
    grid = np.round(np.arange(0.2, 0.81, 0.01), 2)
    scores = [metric(y, (p >= t).astype(int)) for t in grid]
    i = int(np.argmax(scores))
    return float(grid[i]), float(scores[i])


def cross_validate(
    model_id: str,
    texts: Sequence[str],
    y: np.ndarray,
    emb: np.ndarray,
    lex: np.ndarray,
    configs: Sequence[Config],
    metric: Metric,
    folds: int = 5,
    seed: int = 13,
    extra: np.ndarray | None = None,
    extra_names: tuple[str, ...] = (),
    contiguous: bool = False,
) -> Fitted:
    """Pick the config by out-of-fold score (threshold chosen on out-of-fold probabilities), then fit on all."""
    from sklearn.model_selection import KFold, StratifiedKFold

    # Contiguous folds keep the sentences of one article together (NewsSD rows are in article order), so
    # CV does not reward memorising an article's topic; shuffled stratified folds suit shuffled files.
    splitter = KFold(n_splits=folds) if contiguous else StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    table: list[dict[str, Any]] = []
    best: tuple[float, float, Config, np.ndarray] | None = None
    texts = list(texts)
    for config in configs:
        oof = np.zeros(len(texts))
        for train_idx, test_idx in splitter.split(np.zeros(len(y)), y):
            model = fit(
                model_id,
                [texts[i] for i in train_idx],
                y[train_idx],
                emb[train_idx],
                lex[train_idx],
                config,
                0.5,
                extra[train_idx] if extra is not None else None,
                extra_names,
            )
            x = model.features(
                [texts[i] for i in test_idx],
                emb[test_idx],
                lex[test_idx],
                extra[test_idx] if extra is not None else None,
            )
            oof[test_idx] = model.probabilities(x)
        at_half = metric(y, (oof >= 0.5).astype(int))
        threshold, score = best_threshold(y, oof, metric)
        row = {
            "config": config.label(),
            "cv_at_0.5": round(at_half, 4),
            "cv_best": round(score, 4),
            "threshold": threshold,
        }
        log.info("%s", row)
        table.append(row)
        if best is None or score > best[0]:
            best = (score, threshold, config, oof)
    assert best is not None
    score, threshold, config, best_oof = best
    model = fit(model_id, texts, y, emb, lex, config, threshold, extra, extra_names)
    return Fitted(model=model, config=config, cv_score=score, cv_threshold=threshold, cv_table=table, oof=best_oof)


def platt(y: np.ndarray, probabilities: np.ndarray) -> tuple[float, float]:
    """Platt scaling: (a, b) such that sigmoid(a * logit + b) is calibrated on these (out-of-fold) predictions."""
    from sklearn.linear_model import LogisticRegression

    p = np.clip(probabilities, 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p))[:, None]
    clf = LogisticRegression(C=1e6, max_iter=1000).fit(logit, y)
    return float(clf.coef_[0][0]), float(clf.intercept_[0])


def calibrated(model: LinearModel, a: float, b: float, threshold: float) -> LinearModel:
    """The model with Platt's (a, b) folded into its weights: a logistic regression still, now calibrated."""
    return LinearModel(
        **{
            **model.__dict__,
            "coef": (model.coef * a).astype(np.float32),
            "intercept": model.intercept * a + b,
            "threshold": threshold,
        }
    )


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 5) -> dict[str, Any]:
    """Expected calibration error and, per probability bin, the mean prediction and the share that is right."""
    edges = np.linspace(0, 1, bins + 1)
    rows = []
    ece = 0.0
    for lo, hi in itertools.pairwise(edges):
        inside = (p >= lo) & ((p < hi) if hi < 1 else (p <= hi))
        if inside.any():
            mean_p, share = float(p[inside].mean()), float(y[inside].mean())
            ece += inside.mean() * abs(mean_p - share)
            rows.append(
                {
                    "bin": f"{lo:.1f}-{hi:.1f}",
                    "n": int(inside.sum()),
                    "mean_p": round(mean_p, 3),
                    "positive": round(share, 3),
                }
            )
    return {"ece": round(float(ece), 4), "bins": rows}
