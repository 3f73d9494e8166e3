"""Train the subjectivity model on NewsSD-ENG: `unspin train subjectivity ../shared/data/subjectivity/train.csv`.

The feature blocks, C and the decision threshold are chosen by 5-fold stratified CV on the training file
(contiguous folds, which keep an article's sentences together, were tried too: see the model card);
the validation file, when given, is only scored. Writes `weights.npz`, `model.json`, `training.json`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from unspin.detectors.sentence_features import MODELS_DIR, load_model
from unspin.evaluate.readers import read_subjectivity
from unspin.training.common import Config, cross_validate, embeddings, lexical

log = logging.getLogger(__name__)

MODEL_ID = "unspin.subjectivity.v1"

CONFIGS = [
    Config(use_embedding=True, use_lexical=lex, use_tfidf=tfidf, C=c)
    for c in (0.1, 0.3, 1.0, 3.0)
    for lex, tfidf in ((False, False), (False, True), (True, False), (True, True))
]


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, pred, average="macro"))


def train(
    train_path: Path, out_dir: Path = MODELS_DIR / "subjectivity", val_path: Path | None = None
) -> dict[str, Any]:
    rows = read_subjectivity(train_path)
    texts = [r.text for r in rows]
    y = np.asarray([r.label == "SUBJ" for r in rows], dtype=int)
    fitted = cross_validate(MODEL_ID, texts, y, embeddings(texts), lexical(texts), CONFIGS, macro_f1, contiguous=False)
    fitted.model.save(out_dir)
    load_model.cache_clear()
    report: dict[str, Any] = {
        "model": MODEL_ID,
        "train": str(train_path),
        "train_rows": len(rows),
        "chosen": fitted.config.label(),
        "threshold": fitted.cv_threshold,
        "cv_macro_f1": round(fitted.cv_score, 4),
        "cv_table": fitted.cv_table,
    }
    if val_path is not None:
        from unspin.evaluate.classification import evaluate_subjectivity

        report["val"] = evaluate_subjectivity(val_path)
    (out_dir / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
