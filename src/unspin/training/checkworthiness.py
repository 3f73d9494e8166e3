"""Train the check-worthiness model on CheckThat! 2024 (ClaimBuster): `unspin train checkworthiness TRAIN_TSV`.

Features: the shared sentence embedding, lexical features, TF-IDF and the news features of
`unspin.detectors.claims` (has a quantity, names an actor or place, subjectivity from the shipped
subjectivity model: train that one first). C and the threshold are chosen by 5-fold CV on the training file
only, GROUPED by debate: the file has no debate id, but sentence ids run in order within a debate, so the rows
are sorted by id and cut into five contiguous stretches (a fold is never scored on a stretch it trained on;
shuffled folds let a model learn a debate's topics and overstate its score). The chosen model's logit is then
recalibrated (Platt scaling fitted on the out-of-fold predictions) so that its probability is calibrated;
the threshold is chosen on the calibrated out-of-fold probabilities. The dev file, when given, is only scored.
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
from unspin.training.common import (
    Config,
    best_threshold,
    calibrated,
    cross_validate,
    embeddings,
    lexical,
    platt,
    reliability,
)

log = logging.getLogger(__name__)

MODEL_ID = "unspin.checkworthiness.v2"

CONFIGS = [
    Config(use_embedding=True, use_lexical=True, use_tfidf=tfidf, C=c, balanced=balanced)
    for c in (0.1, 0.3, 1.0, 3.0)
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
    rows.sort(key=lambda r: int(r.id) if r.id.isdigit() else 0)  # debates are runs of consecutive ids
    texts = [r.text for r in rows]
    y = np.asarray([r.label == "Yes" for r in rows], dtype=int)
    emb, lex = embeddings(texts), lexical(texts)
    extra = news_extra(texts, emb, lex)
    fitted = cross_validate(
        MODEL_ID,
        texts,
        y,
        emb,
        lex,
        CONFIGS,
        f1_yes,
        folds=folds,
        extra=extra,
        extra_names=NEWS_FEATURES,
        contiguous=True,
    )
    a, b = platt(y, fitted.oof)
    oof_logit = np.log(np.clip(fitted.oof, 1e-6, 1 - 1e-6) / np.clip(1 - fitted.oof, 1e-6, 1))
    oof_calibrated = 1 / (1 + np.exp(-(a * oof_logit + b)))
    threshold, grouped_f1 = best_threshold(y, oof_calibrated, f1_yes)
    model = calibrated(fitted.model, a, b, threshold)
    model.save(out_dir)
    load_linear.cache_clear()
    report: dict[str, Any] = {
        "model": MODEL_ID,
        "train": str(train_path),
        "train_rows": len(rows),
        "chosen": fitted.config.label(),
        "cv": f"{folds}-fold, grouped: rows sorted by sentence id, contiguous stretches (debates stay together)",
        "platt": {"a": round(a, 4), "b": round(b, 4)},
        "threshold": threshold,
        "cv_f1_yes": round(grouped_f1, 4),
        "cv_reliability": reliability(y, oof_calibrated),
        "cv_table": fitted.cv_table,
    }
    if dev_path is not None:
        from unspin.evaluate.classification import evaluate_checkworthiness

        report["dev"] = evaluate_checkworthiness(dev_path, folder=out_dir)
        dev_rows = read_checkworthiness(dev_path)
        dev_texts = [r.text for r in dev_rows]
        dev_emb, dev_lex = embeddings(dev_texts), lexical(dev_texts)
        dev_p = model.probabilities(
            model.features(dev_texts, dev_emb, dev_lex, news_extra(dev_texts, dev_emb, dev_lex))
        )
        dev_y = np.asarray([r.label == "Yes" for r in dev_rows], dtype=int)
        report["dev_reliability"] = reliability(dev_y, dev_p)
    (out_dir / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
