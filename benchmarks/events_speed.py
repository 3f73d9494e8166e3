"""Speed of the events pipeline (issue 4): detectors on the conflict article, GED streaming and import.

    .venv/bin/python benchmarks/events_speed.py [--rows 200000]

Writes a synthetic GED CSV of `--rows` rows in a temporary folder, then times: reading it with a date and
box window (the `--records` path: row by row, constant memory), importing it into a temporary SQLite
store, and places+dates+events (with the cross-check against tests/fixtures/ged_sample.csv) on
tests/fixtures/conflict_article.txt, after a warm-up so model and gazetteer loading are not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

COLUMNS = (
    "id,date_start,date_end,side_a,side_b,latitude,longitude,where_coordinates,country,best,low,high,source_headline"
)


def write_ged(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(COLUMNS + "\n")
        start = dt.date(1989, 1, 1)
        for i in range(rows):
            day = start + dt.timedelta(days=i % 12000)
            fh.write(
                f"{i},{day},{day},Government of X,Y,{-40 + i % 80}.123,{-170 + i % 340}.456,Town {i},Xland,"
                f'{i % 9},{i % 5},{i % 13},"{"words " * 30}"\n'
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store_url = f"sqlite:///{Path(tmp) / 'store.db'}"
        import unspin
        from unspin.crosscheck.ged import Window, read_records
        from unspin.store.records import import_records

        ged = Path(tmp) / "ged.csv"
        write_ged(ged, args.rows)
        size = ged.stat().st_size
        window = Window(start=dt.date(2016, 9, 1), end=dt.date(2016, 9, 30), south=-45, north=45, west=-180, east=180)
        t0 = time.perf_counter()
        kept = read_records(ged, window)
        seconds = time.perf_counter() - t0
        tracemalloc.start()  # a second pass for memory: tracing slows Python down, so it is not timed
        read_records(ged, window)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["ged_stream"] = {
            "rows": args.rows,
            "megabytes": round(size / 1e6, 1),
            "kept": len(kept),
            "seconds": round(seconds, 2),
            "rows_per_second": round(args.rows / seconds),
            "peak_python_memory_mb": round(peak / 1e6, 2),
        }
        t0 = time.perf_counter()
        result = import_records(ged, store_url)
        seconds = time.perf_counter() - t0
        out["store_import"] = {
            "rows": result.rows,
            "seconds": round(seconds, 2),
            "rows_per_second": round(result.rows / seconds),
        }
        article = ROOT / "tests" / "fixtures" / "conflict_article.txt"
        records = ROOT / "tests" / "fixtures" / "ged_sample.csv"
        unspin.analyze(article, only=("events",), records=records)  # warm-up: spaCy, gazetteer
        runs = 5
        t0 = time.perf_counter()
        for _ in range(runs):
            analysis = unspin.analyze(article, only=("events",), records=records)
        seconds = (time.perf_counter() - t0) / runs
        per_detector = {d.name: d.seconds for d in analysis.detectors}
        out["conflict_article"] = {
            "chars": len(analysis.document.text),
            "events": len(analysis.events),
            "places": len(analysis.places),
            "dates": len(analysis.dates),
            "seconds_per_article_incl_spacy": round(seconds, 3),
            "detector_seconds": per_detector,
        }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
