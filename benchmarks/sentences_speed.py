"""Speed of the subjectivity and claims detectors: seconds per 1,000 words after load (spaCy pass excluded).

Run: .venv/bin/python benchmarks/sentences_speed.py [--runs 10] [--with-sources]
(`--with-sources` adds the quotes/sources detector, which runs before claims: the three together.)
Each run parses the text afresh (so no sentence vector is reused across runs) and times only the two
detectors, which share one encoder pass; onnxruntime uses 2 threads (UNSPIN_THREADS overrides).
Wall time depends on what else the machine runs (the load average is printed); CPU seconds (all threads of
this process) do much less, and wall time on 2 idle cores is at most that figure.
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
    return " ".join((words * 3)[:1000])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--with-sources", action="store_true", help="also time the sources (quotes) detector")
    args = parser.parse_args()

    from unspin.analysis import Analysis, Document
    from unspin.detectors import create
    from unspin.detectors.base import Parsed
    from unspin.nlp import parse

    names = ["sources", "subjectivity", "claims"] if args.with_sources else ["subjectivity", "claims"]
    detectors = [create(name) for name in names]
    began = time.perf_counter()
    warm = Parsed(
        analysis=Analysis(document=Document(text="Prices rose 3% in May.")), doc=parse("Prices rose 3% in May.")
    )
    for detector in detectors:
        detector(warm)
    load_seconds = time.perf_counter() - began

    text = thousand_words()
    times: dict[str, list[float]] = {d.name: [] for d in detectors}
    totals = []
    cpu_totals = []
    claims = 0
    for _ in range(args.runs):
        parsed = Parsed(analysis=Analysis(document=Document(text=text)), doc=parse(text))
        total = 0.0
        cpu_began = time.process_time()
        for detector in detectors:
            began = time.perf_counter()
            findings = detector(parsed)
            seconds = time.perf_counter() - began
            for field, values in findings.items():
                setattr(parsed.analysis, field, values)
            times[detector.name].append(seconds)
            total += seconds
        totals.append(total)
        cpu_totals.append(time.process_time() - cpu_began)
        claims = len(parsed.analysis.claims)
    print(
        json.dumps(
            {
                "words": len(text.split()),
                "sentences": len(parsed.analysis.sentences),
                "claims": claims,
                "load_seconds": round(load_seconds, 3),
                "seconds_per_1000_words_median": round(statistics.median(totals), 4),
                "seconds_per_1000_words_min": round(min(totals), 4),
                "cpu_seconds_per_1000_words_median": round(statistics.median(cpu_totals), 4),
                "load_average_1min": round(os.getloadavg()[0], 2),
                "per_detector_median": {k: round(statistics.median(v), 4) for k, v in times.items()},
                "cpus": os.cpu_count(),
                "threads": int(os.environ.get("UNSPIN_THREADS", "0")) or min(2, os.cpu_count() or 1),
                "python": platform.python_version(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
