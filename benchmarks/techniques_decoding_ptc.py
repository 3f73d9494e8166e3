"""Decoding choices of the techniques tagger on PTC: the neutral-identity guard and same-technique merging.

Run: PYTHONPATH=src .venv/bin/python benchmarks/techniques_decoding_ptc.py \
         --articles ../shared/data/ptc/train-articles --gold ../shared/data/ptc/train-task-flc-tc.labels

The model runs once per article; its probabilities are decoded four ways (guard off/on x merging off/on). For
each: SI and full-task F1 and the share of predicted spans overlapping or touching another span of the same
technique in the same article. The shipped model was trained on these 371 articles: the F1 figures are
in-sample, only a guard against regressions, not a quality estimate.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections import defaultdict
from pathlib import Path


def same_technique_overlap_share(text_of: dict[str, str], spans: list[tuple[str, str, int, int]]) -> float:
    """Share of spans that overlap or touch (only whitespace between) another span of their technique."""
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for article, technique, start, end in spans:
        groups[(article, technique)].append((start, end))
    joined = 0
    for (article, _), group in groups.items():
        text = text_of[article]
        for i, (s, e) in enumerate(group):
            for j, (s2, e2) in enumerate(group):
                if i == j:
                    continue
                lo, hi = (e, s2) if e <= s2 else (e2, s)
                if (s < e2 and s2 < e) or (lo <= hi and not text[lo:hi].strip()):
                    joined += 1
                    break
    return joined / len(spans) if spans else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (a quick look)")
    args = parser.parse_args()

    from unspin.detectors import techniques as det
    from unspin.evaluate import ptc

    texts = ptc.read_articles(args.articles)
    if args.limit:
        texts = dict(list(texts.items())[: args.limit])
    gold = ptc.read_labels(args.gold)
    model = det.load_model()
    encoded = {}
    for aid, text in texts.items():
        enc = det.encode(model.tokenizer, text)
        encoded[aid] = (enc, model.probabilities(enc) if len(enc.ids) else None)
    results = {}
    for guard in (False, True):
        for merge in (False, True):
            decoding = dataclasses.replace(model.decoding, identity_guard=guard, merge_overlaps=merge)
            pred: list[ptc.LabelSpan] = []
            for aid, (enc, probs) in encoded.items():
                if probs is None:
                    continue
                for s in det.decode(texts[aid], enc, probs, decoding):
                    pred.append(ptc.LabelSpan(aid, s.technique, s.start, s.end))
            report = ptc.evaluate(gold, pred, texts)
            share = same_technique_overlap_share(texts, [(p.article, p.technique or "", p.start, p.end) for p in pred])
            results[f"guard={'on' if guard else 'off'} merge={'on' if merge else 'off'}"] = {
                "spans": len(pred),
                "same_technique_overlap_share": round(share, 4),
                "si_f1": report["span_identification"]["f1"],
                "full_f1": report["full_task"]["f1"],
                "name_calling_f1": report["per_technique"].get("Name_Calling,Labeling", {}).get("f1"),
                "flag_waving_f1": report["per_technique"].get("Flag-Waving", {}).get("f1"),
            }
    print(json.dumps({"articles": len(texts), "in_sample": True, "decodings": results}, indent=2))


if __name__ == "__main__":
    main()
