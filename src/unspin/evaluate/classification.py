"""Sentence-classification scorers: macro-F1 for subjectivity, F1 of the Yes class for check-worthiness.

Both run the shipped models exactly as the detectors do (each sentence parsed on its own by spaCy) and can
write one predicted label per input row, in the input's order.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from unspin.evaluate.readers import Row, read_checkworthiness, read_subjectivity

log = logging.getLogger(__name__)


def f1(gold: Sequence[str], pred: Sequence[str], positive: str) -> float:
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == positive)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == positive and g != positive)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == positive and p != positive)
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    return sum(f1(gold, pred, label) for label in labels) / len(labels)


def _spans(texts: Sequence[str]) -> list[Any]:
    from unspin.nlp import load_spacy

    return [doc[:] for doc in load_spacy().pipe(list(texts), batch_size=128)]


def subjectivity_probabilities(texts: Sequence[str], folder: Path | None = None) -> np.ndarray:
    from unspin.detectors import subjectivity

    return subjectivity.probabilities(_spans(texts), folder=folder)


def checkworthiness_probabilities(texts: Sequence[str], folder: Path | None = None) -> np.ndarray:
    from unspin.detectors import claims

    return claims.checkworthiness(_spans(texts), folder=folder)


def _write(predictions: Path | None, labels: Sequence[str]) -> None:
    if predictions is None:
        return
    predictions.parent.mkdir(parents=True, exist_ok=True)
    predictions.write_text("".join(f"{label}\n" for label in labels), encoding="utf-8")


def _report(rows: list[Row], pred: list[str], metric: str, score: float | None, path: Path) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for label in pred:
        counts[label] = counts.get(label, 0) + 1
    return {
        "data": str(path),
        "rows": len(rows),
        metric: None if score is None else round(score, 4),
        "predicted": counts,
    }


def evaluate_subjectivity(path: Path, predictions: Path | None = None, folder: Path | None = None) -> dict[str, Any]:
    """Macro-F1 of the shipped subjectivity model (or the one in `folder`) on a labelled file."""
    from unspin.models.linear import load_linear

    rows = read_subjectivity(path)
    threshold = load_linear("subjectivity", folder).threshold
    probs = subjectivity_probabilities([r.text for r in rows], folder)
    pred = ["SUBJ" if p >= threshold else "OBJ" for p in probs]
    _write(predictions, pred)
    gold = [r.label for r in rows]
    score = macro_f1([g or "" for g in gold], pred, ("SUBJ", "OBJ")) if all(gold) else None
    report = _report(rows, pred, "macro_f1", score, path)
    if score is not None:
        report["f1_subj"] = round(f1([g or "" for g in gold], pred, "SUBJ"), 4)
        report["f1_obj"] = round(f1([g or "" for g in gold], pred, "OBJ"), 4)
    return report


def evaluate_checkworthiness(path: Path, predictions: Path | None = None, folder: Path | None = None) -> dict[str, Any]:
    """F1(Yes) of the shipped check-worthiness model (or the one in `folder`) on a labelled file."""
    from unspin.models.linear import load_linear

    rows = read_checkworthiness(path)
    threshold = load_linear("checkworthiness", folder).threshold
    probs = checkworthiness_probabilities([r.text for r in rows], folder)
    pred = ["Yes" if p >= threshold else "No" for p in probs]
    _write(predictions, pred)
    gold = [r.label for r in rows]
    score = f1([g or "" for g in gold], pred, "Yes") if all(gold) else None
    return _report(rows, pred, "f1_yes", score, path)
