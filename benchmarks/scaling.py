"""Cost against input size: per-detector seconds at 100 KB and 400 KB of real article text, and the whole
`unspin analyze` (JSON out) on a 4.9 MB text and on a 1 MB text with no line break, each against what linear
scaling from 100 KB predicts, with its peak memory (resident set, from the child process' rusage).

Run: .venv/bin/python benchmarks/scaling.py [--part detectors|analyze|all] [--out results.json]
Text: the PTC training articles (../shared/data/ptc/train-articles) joined as paragraphs; the 2.8 MB of them
are used again from the start to reach 4.9 MB (under the former 5,000,000-byte default limit). The single-line text
is the same articles with every line break replaced by a space.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT.parent / "shared" / "data" / "ptc" / "train-articles"
MEMORY_LIMIT_MB = 1536


def real_text(size: int) -> str:
    """`size` characters of PTC articles joined as paragraphs, starting over when they run out."""
    articles = [p.read_text(encoding="utf-8").lstrip("\ufeff").strip() for p in sorted(ARTICLES.glob("*.txt"))]
    parts: list[str] = []
    total = 0
    while total < size:
        for article in articles:
            parts.append(article)
            total += len(article) + 2
            if total >= size:
                break
    return "\n\n".join(parts)[:size]


def detector_times(sizes: list[int]) -> dict[str, Any]:
    """Seconds per detector (and for the spaCy parse) at each size, models loaded beforehand."""
    from unspin import detectors, nlp
    from unspin.analysis import Analysis, Document
    from unspin.detectors.base import Parsed

    names = detectors.available()
    warm = Analysis(document=Document(text="The minister said on Monday that 12 people died in Aleppo."))
    warm_parsed = Parsed(analysis=warm, doc=nlp.parse(warm.document.text))
    for name in names:
        for field, values in detectors.create(name)(warm_parsed).items():
            setattr(warm, field, values)
    out: dict[str, Any] = {}
    for size in sizes:
        text = real_text(size)
        analysis = Analysis(document=Document(text=text, published="2016-09-20"))
        began = time.perf_counter()
        doc = nlp.parse(text)
        row = {"parse": round(time.perf_counter() - began, 3)}
        parsed = Parsed(analysis=analysis, doc=doc)
        for name in names:
            began = time.perf_counter()
            findings = detectors.create(name)(parsed)
            row[name] = round(time.perf_counter() - began, 3)
            for field, values in findings.items():
                setattr(analysis, field, values)
        for fmt in ("json", "html", "text"):
            from unspin.render import get_renderer

            began = time.perf_counter()
            rendered = get_renderer(fmt)(analysis)
            row[f"render:{fmt}"] = round(time.perf_counter() - began, 3)
            row[f"render:{fmt}:bytes"] = len(rendered.encode("utf-8", "replace"))
        out[f"{size // 1000}KB"] = row
        print(json.dumps({f"{size // 1000}KB": row}), flush=True)
    return out


# Runs the command given and prints the peak resident set (KB) of that one child: a fresh waiter per run, so
# each run's peak is its own.
_PEAK = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
)


def analyze_run(path: Path, workdir: Path) -> dict[str, Any]:
    """One `unspin analyze PATH --format json --out FILE` in a child process: wall seconds, peak RSS, exit."""
    out = workdir / (path.stem + ".json")
    command = [
        sys.executable,
        "-m",
        "unspin",
        "analyze",
        str(path),
        "--format",
        "json",
        "--out",
        str(out),
        "--max-bytes",
        "5000000",  # the limit this was measured against (the default is now 3,000,000)
    ]
    began = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _PEAK, *command], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - began
    peak_kb, code = proc.stdout.split()[-2:]
    return {
        "bytes": path.stat().st_size,
        "exit": int(code),
        "stderr": proc.stderr.strip()[-300:],
        "wall_seconds": round(wall, 1),
        "peak_rss_mb": round(int(peak_kb) / 1024),
        "json_mb": round(out.stat().st_size / 1e6, 1) if out.exists() else None,
    }


def analyze_times(at_limit: bool = False) -> dict[str, Any]:
    """The runs above; with `at_limit`, one text just under the default size limit instead of the 1 MB line and
    the 4.9 MB text (the limit was lowered to what finishes within the memory limit)."""
    from unspin.options import DEFAULT_MAX_BYTES

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = {
            "tiny": "The minister said on Monday that 12 people were killed in Aleppo.\n",
            "100KB": real_text(100_000),
        }
        if at_limit:
            files["at_limit"] = real_text(DEFAULT_MAX_BYTES - 20_000)  # a few non-ASCII characters take 2-3 bytes
        else:
            files["1MB_one_line"] = real_text(1_000_000).replace("\n", " ")
            files["4.9MB"] = real_text(4_900_000)
        runs: dict[str, Any] = {}
        for name, text in files.items():
            path = work / f"{name}.txt"
            path.write_text(text, encoding="utf-8")
            runs[name] = analyze_run(path, work)
            print(json.dumps({name: runs[name]}), flush=True)
    start = runs["tiny"]["wall_seconds"]
    per_byte = (runs["100KB"]["wall_seconds"] - start) / runs["100KB"]["bytes"]
    for name in [n for n in files if n not in ("tiny", "100KB")]:
        run = runs[name]
        run["linear_prediction_seconds"] = round(start + per_byte * run["bytes"], 1)
        run["ratio_to_prediction"] = round(run["wall_seconds"] / run["linear_prediction_seconds"], 2)
    runs["memory_limit_mb"] = MEMORY_LIMIT_MB
    runs["within_memory_limit"] = all(
        run["peak_rss_mb"] <= MEMORY_LIMIT_MB for run in runs.values() if isinstance(run, dict)
    )
    return runs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("detectors", "analyze", "limit", "all"), default="all")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not ARTICLES.is_dir():
        sys.exit(f"needs the PTC articles at {ARTICLES}")
    result: dict[str, Any] = {"cpus": os.cpu_count(), "python": platform.python_version()}
    if args.part in ("detectors", "all"):
        result["detectors"] = detector_times([100_000, 400_000])
    if args.part in ("analyze", "all"):
        result["analyze"] = analyze_times()
    if args.part == "limit":
        result["analyze_at_limit"] = analyze_times(at_limit=True)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
