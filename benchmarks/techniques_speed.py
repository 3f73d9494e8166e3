"""Speed of the techniques detector against a plain spaCy parse of the same articles.

Run: .venv/bin/python benchmarks/techniques_speed.py ../shared/data/ptc/train-articles [--limit N]
Prints JSON: model load seconds, articles/s of detection (load excluded and included), spaCy parse
articles/s and the ratio. For `unspin export ptc` end to end (and peak RSS) time the CLI itself:
  /usr/bin/time -v .venv/bin/unspin export ptc DIR --out /tmp/pred.labels
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("articles", type=Path)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()

    from unspin.evaluate.ptc import read_articles

    texts = list(read_articles(args.articles).values())
    if args.limit:
        texts = texts[: args.limit]

    began = time.perf_counter()
    from unspin.detectors.techniques import detect, load_model

    load_model()
    load_s = time.perf_counter() - began
    began = time.perf_counter()
    n_spans = sum(len(detect(t)) for t in texts)
    detect_s = time.perf_counter() - began

    from unspin.nlp import load_spacy

    nlp = load_spacy()
    began = time.perf_counter()
    for text in texts:
        nlp(text)
    spacy_s = time.perf_counter() - began

    print(
        json.dumps(
            {
                "articles": len(texts),
                "mean_chars": round(sum(map(len, texts)) / len(texts)),
                "cpu_count": os.cpu_count(),
                "model_load_s": round(load_s, 3),
                "detect_articles_per_s": round(len(texts) / detect_s, 2),
                "detect_articles_per_s_load_included": round(len(texts) / (detect_s + load_s), 2),
                "spacy_parse_articles_per_s": round(len(texts) / spacy_s, 2),
                "detect_over_spacy_time": round(detect_s / spacy_s, 2),
                "spans": n_spans,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
