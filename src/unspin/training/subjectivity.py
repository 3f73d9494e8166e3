"""Train the subjectivity model on NewsSD-ENG: `unspin train subjectivity ../shared/data/subjectivity/train.csv`.

Two steps. (1) An auxiliary "persuasive language" head on the Propaganda Techniques Corpus (PTC, SemEval-2020
Task 11 training articles, ~16.6k lines): a class-balanced logistic regression over the same encoder vectors,
label = the line overlaps any technique span. Its logit (times a scale) becomes one extra feature of (2) the
NewsSD model. The feature blocks, C, the auxiliary head's C and scale and the decision threshold are all chosen
by 5-fold stratified CV on the NewsSD training file plus any `extra` labelled files (the CheckThat!
"dev-test" English sentences: a different slice of news, so the model sees more kinds of opinion; the PTC head
never sees them); the validation file, when given, is only scored. Writes `weights.npz`, `model.json`,
`training.json` and the head in `ptc/`.

Licence: the CheckThat! dev-test file is CC BY-NC-SA 4.0, so weights trained with it carry those terms
(non-commercial, share-alike); `training.json` lists every file used and the licence it implies.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

import numpy as np

from unspin.detectors.subjectivity import AUX_DIR, AUX_FEATURE, load_aux
from unspin.evaluate.readers import read_subjectivity
from unspin.models.linear import LinearModel, load_linear
from unspin.training.common import Config, Fitted, cross_validate, embeddings, lexical

log = logging.getLogger(__name__)

MODEL_ID = "unspin.subjectivity.v3"
NON_COMMERCIAL_MARK = "checkthat"  # a training file whose name holds this is CC BY-NC-SA 4.0
AUX_ID = "unspin.subjectivity.ptc-persuasion.v1"

CONFIGS = [
    Config(use_embedding=True, use_lexical=lex, use_tfidf=tfidf, C=c)
    for c in (0.1, 0.3, 1.0, 3.0)
    for lex, tfidf in ((False, False), (False, True), (True, False), (True, True))
]
# With the PTC feature: embedding + feature, over C; the auxiliary head's C and the feature's scale.
AUX_CONFIGS = [Config(use_embedding=True, use_lexical=False, use_tfidf=False, C=c) for c in (0.3, 1.0, 3.0, 10.0)]
AUX_C = (0.3, 1.0)
AUX_SCALES = (1.0, 3.0)


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y, pred, average="macro"))


def ptc_sentences(data: Path) -> tuple[list[str], np.ndarray]:
    """PTC training articles cut into lines (the corpus has one sentence per line), each labelled 1 when it
    overlaps any technique span (offsets are str offsets of the UTF-8 text)."""
    from unspin.errors import InputNotFound
    from unspin.evaluate import ptc

    articles, labels = data / "train-articles", data / "train-task-flc-tc.labels"
    if not articles.is_dir() or not labels.is_file():
        raise InputNotFound(f"expected {articles} and {labels} (the PTC training split)")
    spans: dict[str, list[tuple[int, int]]] = {}
    for span in ptc.read_labels(labels):
        spans.setdefault(span.article, []).append((span.start, span.end))
    texts: list[str] = []
    y: list[int] = []
    for path in sorted(articles.glob("article*.txt")):
        article = path.stem.removeprefix("article")
        text = path.read_text(encoding="utf-8")
        pos = 0
        for line in text.split("\n"):
            begin, end = pos, pos + len(line)
            pos = end + 1
            if not re.search(r"\w", line):
                continue
            texts.append(line.strip())
            y.append(int(any(s < end and e > begin for s, e in spans.get(article, []))))
    return texts, np.asarray(y, dtype=int)


def fit_aux(emb: np.ndarray, y: np.ndarray, c: float, scale: float) -> LinearModel:
    """The PTC head, with its weights multiplied by `scale` (its logit is the NewsSD model's extra feature)."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(emb, y)
    return LinearModel(
        id=AUX_ID,
        coef=(clf.coef_[0] * scale).astype(np.float32),
        intercept=float(clf.intercept_[0] * scale),
        lex_mean=np.zeros(0, dtype=np.float32),
        lex_scale=np.ones(0, dtype=np.float32),
        vocabulary={},
        idf=np.zeros(0, dtype=np.float32),
        threshold=0.5,
        use_embedding=True,
        use_lexical=False,
        use_tfidf=False,
    )


def train(
    train_path: Path,
    out_dir: Path,
    val_path: Path | None = None,
    ptc_path: Path | None = Path("../shared/data/ptc"),
    extra_paths: tuple[Path, ...] = (),
) -> dict[str, Any]:
    rows = read_subjectivity(train_path)
    extra_rows = {str(p): len(read_subjectivity(p)) for p in extra_paths}
    for path in extra_paths:
        rows += read_subjectivity(path)
    texts = [r.text for r in rows]
    y = np.asarray([r.label == "SUBJ" for r in rows], dtype=int)
    emb, lex = embeddings(texts), lexical(texts)
    fitted = cross_validate(MODEL_ID, texts, y, emb, lex, CONFIGS, macro_f1, contiguous=False)
    best: tuple[Fitted, LinearModel | None, str] = (fitted, None, "none")
    table = list(fitted.cv_table)
    ptc_rows = 0
    if ptc_path is not None:
        ptc_texts, ptc_y = ptc_sentences(ptc_path)
        ptc_rows = len(ptc_texts)
        ptc_emb = embeddings(ptc_texts)
        for c in AUX_C:
            for scale in AUX_SCALES:
                aux = fit_aux(ptc_emb, ptc_y, c, scale)
                extra = aux.logits(emb).astype(np.float32)[:, None]
                tag = f"ptc C={c} scale={scale}"
                candidate = cross_validate(
                    MODEL_ID, texts, y, emb, lex, AUX_CONFIGS, macro_f1, extra=extra, extra_names=(AUX_FEATURE,)
                )
                table += [{**row, "config": f"{row['config']} + {tag}"} for row in candidate.cv_table]
                if candidate.cv_score > best[0].cv_score:
                    best = (candidate, aux, tag)
    fitted, chosen_aux, tag = best
    fitted.model.save(out_dir)
    aux_dir = out_dir / AUX_DIR
    if chosen_aux is not None:
        chosen_aux.save(aux_dir)
    elif aux_dir.is_dir():
        for name in ("weights.npz", "model.json"):
            (aux_dir / name).unlink(missing_ok=True)
    load_linear.cache_clear()
    load_aux.cache_clear()
    report: dict[str, Any] = {
        "model": MODEL_ID,
        "train": str(train_path),
        "train_rows": len(rows),
        "extra_train": extra_rows,
        "licence": (
            "CC BY-NC-SA 4.0 (trained on CheckThat! dev-test sentences): non-commercial use only"
            if any(NON_COMMERCIAL_MARK in Path(p).name.lower() for p in extra_rows)
            else "CC BY 4.0 data (NewsSD-ENG)"
        ),
        "ptc": str(ptc_path) if ptc_path is not None else None,
        "ptc_rows": ptc_rows,
        "chosen": fitted.config.label() + (f" + {tag}" if chosen_aux is not None else ""),
        "threshold": fitted.cv_threshold,
        "cv_macro_f1": round(fitted.cv_score, 4),
        "cv_table": table,
    }
    if val_path is not None:
        from unspin.evaluate.classification import evaluate_subjectivity

        report["val"] = evaluate_subjectivity(val_path, folder=out_dir)
    (out_dir / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report
