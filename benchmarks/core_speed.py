"""Speed of the whole pipeline: model load time, and seconds per 1,000-word article after load.

Run: .venv/bin/python benchmarks/core_speed.py [--runs 10] [--only a,b]
Each measurement runs in this one process; load is timed from a cold import of the detectors.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def thousand_words() -> str:
    words = (ROOT / "samples" / "sample-article.txt").read_text(encoding="utf-8").split(" ")
    text = " ".join((words * 3)[:1000])
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    only = tuple(name for name in args.only.split(",") if name)

    began = time.perf_counter()
    import unspin
    from unspin.analysis import Document

    pipeline = unspin.load_pipeline(unspin.Options(only=only))
    # Lazy models load on first use: a one-sentence document forces every detector to load.
    pipeline(Document(text="The minister said on Monday that 12 people were killed in Aleppo."))
    load_seconds = time.perf_counter() - began

    document = Document(text=thousand_words(), published="2016-09-20")
    times = []
    per_detector: dict[str, list[float]] = {}
    for _ in range(args.runs):
        began = time.perf_counter()
        analysis = pipeline(document)
        times.append(time.perf_counter() - began)
        for run in analysis.detectors:
            per_detector.setdefault(run.name, []).append(run.seconds)
    result = {
        "detectors": pipeline.names,
        "load_seconds": round(load_seconds, 3),
        "seconds_per_1000_words_median": round(statistics.median(times), 3),
        "seconds_per_1000_words_max": round(max(times), 3),
        "per_detector_median": {name: round(statistics.median(v), 4) for name, v in per_detector.items()},
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
