"""Article-body extraction on the 181 real pages of ../shared/data/realnews (Zyte article-extraction-benchmark).

    .venv/bin/python benchmarks/extraction.py [--show-worst N] [--only tune|check|all]

The score is the benchmark's own (its evaluate.py, re-implemented here):
- tokens: every run of word characters (regex `\\w+`, Unicode, case kept), no other normalisation;
- shingles: every run of 4 consecutive tokens, counted as a multiset; a text of fewer than 4 tokens is one
  shorter shingle, an empty text none;
- per page: tp = sum of min(gold count, extracted count) over shingles, fp and fn the surpluses; the three are
  divided by their sum, so every page weighs the same;
- precision is averaged over the pages whose extraction has any shingle (tp + fp > 0: an empty extraction
  does not count against precision), recall over the pages whose gold has any (tp + fn > 0: an empty
  extraction scores recall 0); a page with fp = fn = 0 scores 1 on both;
- F1 is the harmonic mean of the averaged precision and averaged recall (not an average of per-page F1).

Two extractors are scored in the same run: `trafilatura` as unspin called it before (bare_extraction, no
tables, no comments, the title line dropped) and `unspin` (unspin.ingest.extraction, what `unspin analyze`
uses). Settings were chosen on the `tune` half (pages sorted by sha256, even positions); the `check` half
(odd positions) was not looked at while choosing and is the honest figure.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "realnews"

_TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4

Counts = tuple[float, float, float]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    return Counter(tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1)) if words[i : i + size])


def page_counts(gold: str, extracted: str) -> Counts:
    """(tp, fp, fn) over shingles, normalised to sum to 1 so that long pages weigh no more than short ones."""
    true, pred = shingles(gold), shingles(extracted)
    tp = fp = fn = 0.0
    for key in true.keys() | pred.keys():
        tp += min(true[key], pred[key])
        fp += max(0, pred[key] - true[key])
        fn += max(0, true[key] - pred[key])
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + fn)


def score(counts: list[Counts]) -> dict[str, float]:
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def trafilatura_before(html: str) -> str:
    """unspin's extraction before the extraction module: one trafilatura pass, the headline line dropped."""
    import trafilatura

    result = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    title = getattr(result, "title", None)
    if title and paragraphs and paragraphs[0] == title.strip() and len(paragraphs) > 1:
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def unspin_extraction(html: str) -> str:
    from unspin.errors import NoArticleText
    from unspin.ingest.extraction import extract_article

    try:
        return extract_article(html).text
    except NoArticleText:
        return ""


EXTRACTORS: dict[str, Callable[[str], str]] = {"trafilatura": trafilatura_before, "unspin": unspin_extraction}


def load_pages() -> list[tuple[str, str, str]]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for sha in sorted(truth):
        with gzip.open(DATA / "html" / f"{sha}.html.gz", "rt", encoding="utf-8", errors="replace") as handle:
            pages.append((sha, handle.read(), truth[sha].get("articleBody", "")))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-worst", type=int, default=0, help="list the N pages where unspin scores lowest")
    parser.add_argument("--only", choices=("tune", "check", "all"), default="all")
    parser.add_argument("--extractor", action="append", choices=sorted(EXTRACTORS), help="default: both")
    args = parser.parse_args()
    pages = load_pages()
    halves = {"tune": pages[0::2], "check": pages[1::2], "all": pages}
    chosen = halves[args.only]
    results: dict[str, dict[str, Counts]] = {}
    for name in args.extractor or sorted(EXTRACTORS):
        started = time.perf_counter()
        results[name] = {sha: page_counts(gold, EXTRACTORS[name](html)) for sha, html, gold in chosen}
        seconds = time.perf_counter() - started
        print(f"{name}: {len(chosen)} pages in {seconds:.1f} s", file=sys.stderr)
    report: dict[str, dict[str, dict[str, float]]] = {}
    for name, by_sha in results.items():
        report[name] = {}
        for half, half_pages in halves.items():
            counts = [by_sha[sha] for sha, _, _ in half_pages if sha in by_sha]
            if counts:
                report[name][f"{half} ({len(counts)} pages)"] = {k: round(v, 4) for k, v in score(counts).items()}
    print(json.dumps(report, indent=2))
    if args.show_worst:
        name = "unspin" if "unspin" in results else next(iter(results))
        worst = sorted(results[name].items(), key=lambda item: item[1][0])[: args.show_worst]
        for sha, (tp, fp, fn) in worst:
            other = {n: round(r[sha][0], 3) for n, r in results.items() if n != name}
            print(f"{sha[:12]} tp={tp:.3f} fp={fp:.3f} fn={fn:.3f} others={other}")


if __name__ == "__main__":
    main()
