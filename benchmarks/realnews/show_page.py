"""Print one page of ../shared/data/realnews for annotation: its URL and hand-made article body, paragraphs numbered.

Usage: python benchmarks/realnews/show_page.py SHA_PREFIX [--html]
       python benchmarks/realnews/show_page.py ptc:ARTICLE_ID   (a PTC training article, for conflict reports)

Annotators read the body from here (or the page's HTML with --html, for title, author and date), never
from unspin's output: gold is written before unspin is run on the page.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
DATA = SHARED_DATA / "realnews"


def find(prefix: str) -> tuple[str, dict[str, str]]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    matches = [sha for sha in truth if sha.startswith(prefix)]
    if len(matches) != 1:
        raise SystemExit(f"{prefix!r} matches {len(matches)} pages")
    return matches[0], truth[matches[0]]


def main(argv: list[str]) -> None:
    if argv[0].startswith("ptc:"):
        body = (SHARED_DATA / "ptc" / "train-articles" / f"article{argv[0][4:]}.txt").read_text(encoding="utf-8")
        page = {"url": argv[0], "articleBody": body}
        sha = argv[0]
    else:
        sha, page = find(argv[0])
    if "--html" in argv:
        with gzip.open(DATA / "html" / f"{sha}.html.gz", "rt", encoding="utf-8", errors="replace") as handle:
            print(handle.read())
        return
    print(f"sha256: {sha}\nurl: {page['url']}\n")
    for number, paragraph in enumerate(page["articleBody"].split("\n"), start=1):
        if paragraph.strip():
            print(f"[{number}] {paragraph}")


if __name__ == "__main__":
    main(sys.argv[1:])
