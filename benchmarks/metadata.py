"""Page metadata (title, authors, publication date) against hand-made gold for ../shared/data/realnews pages.

    .venv/bin/python benchmarks/metadata.py [--gold benchmarks/realnews/gold/meta.jsonl] [--role dev] [--show]

Gold: one JSON line per page (benchmarks/realnews/ANNOTATION.md section 3), written from the page before
unspin's output on it was seen. Matching rules:
- title: equal after normalisation (Unicode NFKC, lower case, quotes and dashes unified, runs of
  non-word characters turned into one space, trimmed);
- authors: the set of normalised names (same normalisation) equal to the gold set; no author is `[]`;
- date: the ISO date (YYYY-MM-DD) equal to the gold's (gold null matches only no date).
Accuracy is the share of pages right, per field. Two readers are scored in the same run: `trafilatura`
(its metadata as unspin took it before unspin.ingest.metadata, one author string split on nothing) and
`unspin` (what `unspin analyze` puts in `document`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "realnews"
GOLD = ROOT / "benchmarks" / "realnews" / "gold" / "meta.jsonl"

Meta = tuple[str | None, list[str], str | None]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(value: str | None) -> str:
    text = unicodedata.normalize("NFKC", value or "").translate(_QUOTES).lower()
    return _NON_WORD.sub(" ", text).strip()


def trafilatura_before(html: str, page_url: str) -> Meta:
    import trafilatura

    result = trafilatura.bare_extraction(html, url=page_url, with_metadata=True)
    if result is None:
        return None, [], None
    author = getattr(result, "author", None)
    date = getattr(result, "date", None)
    return getattr(result, "title", None), [author] if author else [], (date or "")[:10] or None


def unspin_reader(html: str, page_url: str) -> Meta:
    from unspin.errors import UnspinError
    from unspin.ingest import document_from_bytes
    from unspin.options import Options

    try:
        document = document_from_bytes(
            html.encode("utf-8"), page_url, "html", Options(), is_html=True, page_url=page_url
        ).document
    except UnspinError:
        return None, [], None
    return document.title, list(document.authors), document.published


READERS: dict[str, Callable[[str, str], Meta]] = {"trafilatura": trafilatura_before, "unspin": unspin_reader}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--role", default=None, help="score only gold lines of this role (dev, heldout)")
    parser.add_argument("--show", action="store_true", help="print every miss of unspin")
    parser.add_argument("--reader", action="append", choices=sorted(READERS), help="default: both")
    args = parser.parse_args()
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    gold = [json.loads(line) for line in args.gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [row for row in gold if args.role is None or row.get("role") == args.role]
    report: dict[str, dict[str, float]] = {}
    for name in args.reader or sorted(READERS):
        right = {"title": 0, "author": 0, "date": 0}
        for row in gold:
            sha = row["sha"]
            with gzip.open(DATA / "html" / f"{sha}.html.gz", "rt", encoding="utf-8", errors="replace") as handle:
                html = handle.read()
            title, authors, date = READERS[name](html, truth[sha]["url"])
            checks = {
                "title": normalise(title) == normalise(row["title"]),
                "author": {normalise(a) for a in authors} == {normalise(a) for a in row["authors"]},
                "date": (date or None) == row["published"],
            }
            for field, ok in checks.items():
                right[field] += ok
                if args.show and name == "unspin" and not ok:
                    found = {"title": title, "author": authors, "date": date}[field]
                    gold_value = {"title": row["title"], "author": row["authors"], "date": row["published"]}[field]
                    print(f"{sha[:12]} {field}: got {found!r}, gold {gold_value!r}")
        report[name] = {field: round(count / len(gold), 4) for field, count in right.items()}
        report[name]["pages"] = len(gold)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
