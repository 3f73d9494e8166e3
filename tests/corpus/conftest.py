"""A small real corpus in every format the readers take, built from the shared data (skipped without it)."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PTC_ARTICLES = SHARED / "ptc" / "train-articles"
REALNEWS_PAGES = SHARED / "realnews" / "html"


def ptc_texts(count: int, chars: int | None = None) -> list[tuple[str, str]]:
    """The first `count` PTC articles as (file name, text), cut to about `chars` at a paragraph end."""
    if not PTC_ARTICLES.is_dir():
        pytest.skip("../shared/data/ptc is not here")
    found = []
    for path in sorted(PTC_ARTICLES.glob("article*.txt"))[:count]:
        text = path.read_text(encoding="utf-8")
        if chars is not None and len(text) > chars:
            cut = text.rfind("\n", 0, chars)
            text = text[: cut if cut > 200 else chars]
        found.append((path.name, text))
    return found


def realnews_pages(count: int) -> list[tuple[str, bytes]]:
    if not REALNEWS_PAGES.is_dir():
        pytest.skip("../shared/data/realnews is not here")
    pages = []
    for path in sorted(REALNEWS_PAGES.glob("*.html.gz"))[:count]:
        pages.append((path.name.removesuffix(".gz"), gzip.decompress(path.read_bytes())))
    return pages


def write_warc(path: Path, pages: list[tuple[str, bytes]], extra: Callable[[object], None] | None = None) -> None:
    """A gzipped WARC of HTML responses, written with warcio's own writer; `extra(writer)` adds other records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            writer.write_record(record)
        if extra is not None:
            extra(writer)


@pytest.fixture
def mixed_corpus(tmp_path: Path) -> tuple[Path, int]:
    """Text files, an HTML page, a JSON Lines file and a WARC file: (folder, number of articles)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    texts = ptc_texts(6, chars=1500)
    pages = realnews_pages(2)
    for name, text in texts[:2]:
        (folder / name).write_text(text, encoding="utf-8")
    name, body = pages[0]
    (folder / name).write_bytes(body)
    with (folder / "feed.jsonl").open("w", encoding="utf-8") as out:
        for number, (name, text) in enumerate(texts[2:], 1):
            record = {
                "id": name,
                "url": f"https://news.example.org/{number}",
                "title": f"Story {number}",
                "text": text,
                "site": "Example News",
                "author": "Jane Doe",
                "published": "2019-11-0" + str(number),
            }
            out.write(json.dumps(record) + "\n")
    write_warc(folder / "crawl.warc.gz", [("https://news.example.com/a", pages[1][1])])
    return folder, 2 + 1 + 4 + 1
