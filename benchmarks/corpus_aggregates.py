"""How the store's readers scale: `corpus stats` (all groupings), `corpus export` (parquet, ptc) and the corpus
report, timed on two stores, one four times the other, in one run.

The stores are filled without the models: each document is a PTC training article (cycled, each copy its own
document) with findings of real shape at real densities (technique spans, sentences, claims, quotes from a pool
of speakers, events), spread over 40 sites and 24 months. Linear work takes about 4x at 4x the size.

    PYTHONPATH=src python benchmarks/corpus_aggregates.py [--small 1000] [--large 4000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from unspin.analysis import (
    Analysis,
    Claim,
    Document,
    Event,
    Fatalities,
    Provenance,
    Quote,
    Sentence,
    TechniqueSpan,
    document_id,
)
from unspin.corpus import export, report, stats
from unspin.store import corpus as store
from unspin.taxonomy import TECHNIQUES

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "data" / "ptc" / "train-articles"
RAN = {name: f"unspin.{name}.v1" for name in stats.DETECTORS}
SPEAKERS = [f"Speaker {n}" for n in range(300)]


def synthetic(text: str, number: int, rng: random.Random) -> Analysis:
    length = len(text)

    def span() -> tuple[int, int]:
        start = rng.randrange(0, max(1, length - 40))
        return start, min(length, start + rng.randrange(5, 40))

    techniques = [
        TechniqueSpan(technique=rng.choice(list(TECHNIQUES)), start=s, end=e, score=0.6)
        for s, e in (span() for _ in range(max(1, length // 400)))
    ]
    sentences = [
        Sentence(start=s, end=min(length, s + 120), subjective=rng.random() < 0.3, subjectivity=0.5)
        for s in range(0, length, 120)
    ]
    claims = [
        Claim(start=s, end=e, text=text[s:e], checkworthiness=0.6, selected=rng.random() < 0.6)
        for s, e in (span() for _ in range(max(1, length // 600)))
    ]
    quotes = [
        Quote(start=s, end=e, text=text[s:e], speaker=rng.choice(SPEAKERS) if rng.random() < 0.8 else None)
        for s, e in (span() for _ in range(max(1, length // 800)))
    ]
    events = [
        Event(
            start=s,
            end=e,
            action=rng.choice(["attack", "shelling", "protest", "other"]),
            fatalities=Fatalities(start=s, end=e, text=text[s:e], low=rng.randrange(1, 20)),
        )
        for s, e in (span() for _ in range(rng.randrange(0, 3)))
    ]
    origin = f"doc{number}.txt"
    return Analysis(
        document=Document(
            text=text,
            id=document_id(text, origin),
            site=f"site{number % 40}",
            author=f"Author {number % 150}",
            published=f"{2023 + number % 2}-{1 + number % 12:02d}-15",
        ),
        provenance=Provenance(unspin_version="bench", detectors=RAN),
        techniques=techniques,
        sentences=sentences,
        claims=claims,
        quotes=quotes,
        events=events,
    )


def fill(url: str, count: int) -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(ARTICLES.glob("article*.txt"))]
    engine = store.open_store(url)
    rng = random.Random(count)
    key = store.provenance_key(RAN)
    for number in range(count):
        store.save_analysis(engine, synthetic(texts[number % len(texts)], number, rng), key, f"doc{number}", None)


def timed(step: Callable[[], Any]) -> float:
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def measure(count: int, folder: Path) -> dict[str, float]:
    url = f"sqlite:///{folder / f'store{count}.db'}"
    began = time.perf_counter()
    fill(url, count)
    print(f"filled {count} documents in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    engine = store.open_store(url)
    return {
        "stats (all, site, author, month)": timed(
            lambda: [stats.compute(engine, by) for by in (None, "site", "author", "month")]
        ),
        "export parquet": timed(lambda: export.export(engine, folder / f"parquet{count}", "parquet")),
        "export ptc": timed(lambda: export.export(engine, folder / f"ptc{count}", "ptc")),
        "report (by site)": timed(lambda: report.report_html(engine, by="site")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=4000)
    args = parser.parse_args()
    if not ARTICLES.is_dir():
        sys.exit(f"{ARTICLES} is missing")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure(20, folder)  # imports (pyarrow, plotly) and caches warmed: not timed
        small, large = measure(args.small, folder), measure(args.large, folder)
    print(f"| step | {args.small:,} documents | {args.large:,} documents | ratio |")
    print("|---|---|---|---|")
    for step in small:
        print(f"| {step} | {small[step]:.2f} s | {large[step]:.2f} s | {large[step] / small[step]:.1f}x |")


if __name__ == "__main__":
    main()
