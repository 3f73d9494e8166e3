"""The news ranker of check-worthy claims (`unspin train news-claims`), trained on annotated real news pages.

The debate model (`checkworthiness`) learnt from debates; news differs (datelines, quotations, leads, scene
setting). This second logistic regression reads, per sentence, the shared sentence embedding and the
`claims.rank_features` (the debate model's logit among them) and learns from the project's own gold: real
pages of `../shared/data/realnews/` whose check-worthy sentences were marked by hand, from the page text alone
(`benchmarks/realnews/ANNOTATION.md`). A sentence is a positive when it covers at least half of a gold
anchor's characters, the rule `benchmarks/realnews_claims.py` scores with.

The regularisation is chosen, and the shipped figures measured, by leave-one-batch-out cross-validation: each
annotation batch (the gold files' `batch` field) is scored by a model trained on the others, so a page is never
scored by a model that saw it, nor one annotated in the same sitting. The model is then fitted on every batch.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.analysis import Document
from unspin.detectors import claims
from unspin.detectors import subjectivity as subj
from unspin.errors import BadOption
from unspin.models.features import LEXICAL_NAMES
from unspin.models.linear import LinearModel
from unspin.training.common import reliability

log = logging.getLogger(__name__)

MODEL_ID = "unspin.checkworthiness.news.v1"
C_GRID = (0.01, 0.03, 0.1, 0.3)
# The embedding's columns are scaled up before fitting so that one C regularises them on a par with the
# standardised rank features (unit vectors of 384 dimensions have columns of about 0.05).
EMBEDDING_SCALE = 10.0


@dataclass
class Page:
    """One annotated page, made into the ranker's rows: features, labels, gold priorities, never-claims."""

    sha: str
    batch: str
    embeddings: np.ndarray
    features: np.ndarray
    labels: np.ndarray  # 1: the sentence is one the annotator marked check-worthy
    priority_one: np.ndarray  # 1: ... with priority 1 (what a fact-checker would check first)
    never: np.ndarray  # questions and boilerplate: never claims, whatever the model says


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    found, start = [], text.find(needle)
    while start >= 0 and needle:
        found.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return found


def _covers(sentence: tuple[int, int], anchors: Sequence[tuple[int, int]]) -> bool:
    return any(2 * max(0, min(sentence[1], e) - max(sentence[0], s)) >= e - s for s, e in anchors)


def page_rows(body: str, gold: dict[str, Any]) -> Page:
    """Analyse one page as the claims detector does and label its sentences from the gold anchors."""
    import unspin
    from unspin import nlp

    analysis = unspin.analyze(Document(text=body), only=("sources", "subjectivity"))
    doc = nlp.parse(body)
    spans = subj.sentence_spans(doc)
    subjectivity = claims.sentence_subjectivity(spans, analysis)
    calibrated = claims.checkworthiness(spans, subjectivity)
    direct, attributions = claims.ranker_spans(analysis)
    shapes = [claims.news_shape(span) for span in spans]
    anchors = [(_occurrences(body, item["anchor"]), int(item.get("priority", 2))) for item in gold["checkworthy"]]
    sentences = [(s.start_char, s.end_char) for s in spans]
    return Page(
        sha=gold["sha"],
        batch=str(gold.get("batch", "?")),
        embeddings=subj.embed_spans(spans),
        features=claims.rank_features(spans, shapes, calibrated, subjectivity, direct, attributions),
        labels=np.asarray([any(_covers(s, found) for found, _ in anchors) for s in sentences], dtype=np.int64),
        priority_one=np.asarray(
            [any(_covers(s, found) for found, p in anchors if p == 1) for s in sentences], dtype=np.int64
        ),
        never=claims.never_claims(shapes),
    )


def load_pages(gold_dirs: Sequence[Path], data: Path) -> list[Page]:
    truth_path = data / "ground-truth.json"
    if not truth_path.is_file():
        raise BadOption(f"no ground-truth.json in {data} (the realnews data folder)")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for folder in gold_dirs:
        files = sorted(folder.glob("*.json"))
        if not files:
            raise BadOption(f"no gold files (*.json) in {folder}")
        for path in files:
            gold = json.loads(path.read_text(encoding="utf-8"))
            if gold["sha"] not in truth:
                raise BadOption(f"{path}: page {gold['sha'][:12]} is not in {truth_path}")
            pages.append(page_rows(truth[gold["sha"]]["articleBody"], gold))
            log.info("%s: %d sentences", path.name, len(pages[-1].labels))
    return pages


def _design(pages: Sequence[Page]) -> tuple[np.ndarray, np.ndarray]:
    return (
        np.vstack([p.embeddings for p in pages]) * EMBEDDING_SCALE,
        np.vstack([p.features for p in pages]),
    )


def fit(pages: Sequence[Page], c: float) -> LinearModel:
    """A logistic regression over [embedding | rank features], standardisation folded into its weights."""
    from sklearn.linear_model import LogisticRegression

    embeddings, features = _design(pages)
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale == 0] = 1.0
    y = np.concatenate([p.labels for p in pages])
    clf = LogisticRegression(C=c, max_iter=5000).fit(np.hstack([embeddings, (features - mean) / scale]), y)
    width = embeddings.shape[1]
    coef_embedding, coef_features = clf.coef_[0][:width], clf.coef_[0][width:]
    return LinearModel(
        id=MODEL_ID,
        coef=np.concatenate([coef_embedding * EMBEDDING_SCALE, coef_features / scale]).astype(np.float32),
        intercept=float(clf.intercept_[0] - np.sum(coef_features * mean / scale)),
        lex_mean=np.zeros(len(LEXICAL_NAMES), dtype=np.float32),
        lex_scale=np.ones(len(LEXICAL_NAMES), dtype=np.float32),
        vocabulary={},
        idf=np.zeros(0, dtype=np.float32),
        threshold=claims.NEWS_CUT,
        use_embedding=True,
        use_lexical=False,
        use_tfidf=False,
        extra=claims.RANK_FEATURES,
    )


def probabilities(model: LinearModel, page: Page) -> np.ndarray:
    p = model.probabilities(model.features([""] * len(page.labels), page.embeddings, None, page.features))
    return np.where(page.never, 0.0, p)


def selection_scores(pages: Sequence[Page], scores: Sequence[np.ndarray]) -> dict[str, float]:
    """What `benchmarks/realnews_claims.py` reports, on these sentences: the default cut's precision, recall,
    share of sentences selected, and the priority-1 sentences among each page's first five selected."""
    # a selected sentence that is check-worthy is both a right claim and a gold sentence found (one sentence, one
    # gold label), so one count serves precision and recall
    selected = hits = gold = sentences = first = first_in_top5 = 0
    for page, score in zip(pages, scores, strict=True):
        chosen = np.flatnonzero(claims.select(score, claims.NEWS_CUT, claims.MAX_SHARE))
        chosen = chosen[np.argsort(-score[chosen], kind="stable")]
        sentences += len(score)
        selected += len(chosen)
        hits += int(page.labels[chosen].sum())
        gold += int(page.labels.sum())
        first += int(page.priority_one.sum())
        first_in_top5 += int(page.priority_one[chosen[:5]].sum())
    return {
        "precision": round(hits / max(1, selected), 4),
        "recall": round(hits / max(1, gold), 4),
        "selected_share": round(selected / max(1, sentences), 4),
        "top5_priority1": round(first_in_top5 / max(1, first), 4),
        "pages": len(pages),
        "sentences": sentences,
    }


def leave_one_batch_out(pages: Sequence[Page], c: float) -> list[np.ndarray]:
    """Each page's probabilities from a model fitted on the other annotation batches."""
    batches = sorted({p.batch for p in pages})
    if len(batches) < 2:
        raise BadOption("leave-one-batch-out needs gold from at least two annotation batches")
    out: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for held in batches:
        model = fit([p for p in pages if p.batch != held], c)
        for index, page in enumerate(pages):
            if page.batch == held:
                out[index] = probabilities(model, page)
    return out


def _log_loss(pages: Sequence[Page], scores: Sequence[np.ndarray]) -> float:
    y = np.concatenate([p.labels for p in pages])
    p = np.clip(np.concatenate(scores), 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def train(gold_dirs: Sequence[Path], data: Path, out: Path) -> dict[str, Any]:
    """Choose C by leave-one-batch-out log loss, report the cut's figures per held-out batch, fit on all, save."""
    pages = load_pages(gold_dirs, data)
    grid = {}
    for c in C_GRID:
        scores = leave_one_batch_out(pages, c)
        grid[c] = (_log_loss(pages, scores), scores)
        log.info("C=%s: leave-one-batch-out log loss %.4f", c, grid[c][0])
    best = min(grid, key=lambda c: grid[c][0])
    scores = grid[best][1]
    y = np.concatenate([p.labels for p in pages])
    batches = sorted({p.batch for p in pages})
    report: dict[str, Any] = {
        "model": MODEL_ID,
        "trained": dt.date.today().isoformat(),
        "gold": [str(g) for g in gold_dirs],
        "c": best,
        "log_loss_by_c": {str(c): round(grid[c][0], 4) for c in C_GRID},
        "cut": {"news_cut": claims.NEWS_CUT, "max_share": claims.MAX_SHARE},
        "leave_one_batch_out": selection_scores(pages, scores),
        "by_held_out_batch": {
            batch: selection_scores(
                [p for p in pages if p.batch == batch],
                [s for p, s in zip(pages, scores, strict=True) if p.batch == batch],
            )
            for batch in batches
        },
        "calibration": reliability(y, np.concatenate(scores), bins=10),
        "positives": int(y.sum()),
        "sentences": len(y),
    }
    model = fit(pages, best)
    model.save(out)
    (out / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
