"""Train the check-worthiness model on CheckThat! 2024 (ClaimBuster): `unspin train checkworthiness TRAIN_TSV`.

Features: the shared sentence embedding, lexical features, TF-IDF and the news features of
`unspin.detectors.claims` (has a quantity, names an actor or place, subjectivity from the shipped
subjectivity model: train that one first). C, the blocks and the threshold are chosen by 5-fold CV on the
training file only; the dev file, when given, is only scored.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from unspin.detectors.claims import NEWS_FEATURES, news_features
from unspin.detectors.subjectivity import probabilities_from
from unspin.evaluate.readers import read_checkworthiness
from unspin.models.linear import load_linear
from unspin.training.common import Config, cross_validate, embeddings, lexical

log = logging.getLogger(__name__)

MODEL_ID = "unspin.checkworthiness.v1"

CONFIGS = [
    Config(use_embedding=True, use_lexical=True, use_tfidf=tfidf, C=c, balanced=balanced)
    for c in (0.3, 1.0, 3.0)
    for tfidf in (False,)  # dense TF-IDF of 22,500 sentences does not fit; embeddings carry the words
    for balanced in (True,)
]


def f1_yes(y: np.ndarray, pred: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, pred, pos_label=1))


def news_extra(texts: list[str], emb: np.ndarray, lex: np.ndarray) -> np.ndarray:
    """The news features, with subjectivity from the shipped subjectivity model."""
    subjectivity = probabilities_from(texts, emb, lex)
    return news_features(texts, lex, subjectivity)


def train(train_path: Path, out_dir: Path, dev_path: Path | None = None, folds: int = 5) -> dict[str, Any]:
    rows = read_checkworthiness(train_path)
    texts = [r.text for r in rows]
    y = np.asarray([r.label == "Yes" for r in rows], dtype=int)
    emb, lex = embeddings(texts), lexical(texts)
    extra = news_extra(texts, emb, lex)
    fitted = cross_validate(
        MODEL_ID, texts, y, emb, lex, CONFIGS, f1_yes, folds=folds, extra=extra, extra_names=NEWS_FEATURES
    )
    fitted.model.save(out_dir)
    load_linear.cache_clear()
    report: dict[str, Any] = {
        "model": MODEL_ID,
        "train": str(train_path),
        "train_rows": len(rows),
        "chosen": fitted.config.label(),
        "threshold": fitted.cv_threshold,
        "cv_f1_yes": round(fitted.cv_score, 4),
        "cv_table": fitted.cv_table,
    }
    if dev_path is not None:
        from unspin.evaluate.classification import evaluate_checkworthiness

        report["dev"] = evaluate_checkworthiness(dev_path, folder=out_dir)
    (out_dir / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
