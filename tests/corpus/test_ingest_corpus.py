"""Corpus readers: every format streams one article (or one failure with its reason) at a time."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from tests.corpus.conftest import ptc_texts, realnews_pages, write_warc

from unspin.errors import InputNotFound
from unspin.ingest import Ingested
from unspin.ingest.corpus import Failure, RawItem, iter_items, read_corpus
from unspin.options import Options

STORY = (
    "Flood waters forced 2,000 residents from their homes in the river town on Tuesday, officials said.\n\n"
    '"We have never seen the water rise this fast," the mayor told reporters at the town hall.'
)


def read_all(*sources: str | Path, max_bytes: int = 5_000_000) -> list[tuple[str, Ingested] | Failure]:
    return list(read_corpus(sources, Options(max_bytes=max_bytes)))


def test_corpus_folder_reads_text_html_and_gzipped_pages(mixed_corpus: tuple[Path, int]) -> None:
    folder, expected = mixed_corpus
    items = read_all(folder)
    assert len(items) == expected
    read = [item for item in items if not isinstance(item, Failure)]
    assert len(read) == expected, [item for item in items if isinstance(item, Failure)]
    kinds = {source.rsplit(".", 1)[-1].split("#")[0]: ingested.document.source_kind for source, ingested in read}
    assert kinds["txt"] == "text"
    assert kinds["html"] == "html"
    for _source, ingested in read:
        assert len(ingested.document.text.split()) > 30


def test_corpus_jsonl_metadata_wins_and_ids_name_the_record(mixed_corpus: tuple[Path, int]) -> None:
    folder, _ = mixed_corpus
    read = [item for item in read_all(folder / "feed.jsonl") if not isinstance(item, Failure)]
    first_name = ptc_texts(3)[2][0]
    source, ingested = read[0]
    assert source == f"{folder / 'feed.jsonl'}#{first_name}"
    document = ingested.document
    assert (document.title, document.site, document.author, document.published) == (
        "Story 1",
        "Example News",
        "Jane Doe",
        "2019-11-01",
    )
    assert document.url == "https://news.example.org/1"


def test_corpus_warc_takes_html_responses_and_passes_over_other_records(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders

    page = realnews_pages(1)[0][1]

    def others(writer: object) -> None:
        make = writer.create_warc_record  # type: ignore[attr-defined]
        request = make("https://news.example.com/a", "request", payload=io.BytesIO(b"GET /a HTTP/1.1\r\n\r\n"))
        image = make(
            "https://news.example.com/logo.png",
            "response",
            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(200)),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"),
        )
        missing = make(
            "https://news.example.com/gone",
            "response",
            payload=io.BytesIO(b"<html><body>Not found</body></html>"),
            http_headers=StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1"),
        )
        for record in (request, image, missing):
            writer.write_record(record)  # type: ignore[attr-defined]

    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, [("https://news.example.com/a", page)], extra=others)
    items = read_all(warc)
    assert len(items) == 1
    source, ingested = items[0]  # type: ignore[misc]
    assert source.startswith(f"{warc}#offset")
    assert ingested.document.url == "https://news.example.com/a"
    assert ingested.document.source_kind == "html"


def test_corpus_warc_record_over_the_cap_is_a_failure_and_the_next_is_read(tmp_path: Path) -> None:
    page = realnews_pages(1)[0][1]
    big = b"<html><body><p>" + b"The council met again. " * (len(page) // 10) + b"</p></body></html>"
    warc = tmp_path / "crawl.warc"
    write_warc(warc, [("https://news.example.com/big", big), ("https://news.example.com/a", page)])
    items = read_all(warc, max_bytes=len(page) + 1000)
    assert isinstance(items[0], Failure) and "over the limit" in items[0].reason
    assert not isinstance(items[1], Failure)


def test_corpus_jsonl_bad_lines_are_failures_and_reading_goes_on(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": STORY, "title": "Flood"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "No body"}),
        json.dumps({"text": "A council vote. " * 500}),  # over the cap below
        "",
        json.dumps({"html": f"<html><body><p>{STORY}</p></body></html>", "published": "last Tuesday"}),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read_all(feed, max_bytes=4000)
    reasons = [item.reason if isinstance(item, Failure) else "ok" for item in items]
    assert reasons[0] == "ok" and reasons[-1] == "ok"
    assert "not a JSON object" in reasons[1] and "not a JSON object but a list" in reasons[2]
    assert "no 'text' or 'html'" in reasons[3]
    assert "over the limit" in reasons[4]
    assert len(items) == 6
    last = items[-1]
    assert not isinstance(last, Failure)
    assert last[1].document.published is None
    assert any("ignored publication date" in warning for warning in last[1].warnings)


def test_corpus_csv_rows_with_the_same_columns(tmp_path: Path) -> None:
    table = tmp_path / "articles.csv"
    with table.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "url", "title", "text", "site", "published"])
        writer.writerow(["a1", "https://example.org/flood", "Flood", STORY, "Example", "2024-05-02"])
        writer.writerow(["a2", "", "", "", "", ""])
        writer.writerow(["", "", "Huge", "x " * 5000, "", ""])
    items = read_all(table, max_bytes=5000)
    assert len(items) == 3
    source, ingested = items[0]  # type: ignore[misc]
    assert source == f"{table}#a1"
    assert ingested.document.published == "2024-05-02" and ingested.document.title == "Flood"
    assert isinstance(items[1], Failure) and items[1].source == f"{table}#a2"
    assert isinstance(items[2], Failure) and items[2].source == f"{table}#row3"


def test_corpus_csv_without_a_text_column_is_refused(tmp_path: Path) -> None:
    table = tmp_path / "articles.csv"
    table.write_text("id,headline\n1,Flood\n", encoding="utf-8")
    items = read_all(table)
    assert len(items) == 1 and isinstance(items[0], Failure) and "'text' or 'html' column" in items[0].reason


def test_corpus_missing_source_fails_before_any_article(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(STORY, encoding="utf-8")
    with pytest.raises(InputNotFound, match="no such file"):
        iter_items([tmp_path, tmp_path / "missing"])
    with pytest.raises(InputNotFound, match="matches no file"):
        iter_items([str(tmp_path / "*.warc")])


def test_corpus_glob_and_raw_items_stay_undecoded(tmp_path: Path) -> None:
    for number in range(3):
        (tmp_path / f"story{number}.txt").write_text(STORY.replace("2,000", f"{number + 1},000"), encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    items = list(iter_items([str(tmp_path / "story*.txt")]))
    assert [Path(item.source).name for item in items] == ["story0.txt", "story1.txt", "story2.txt"]
    assert all(isinstance(item, RawItem) and isinstance(item.data, bytes) for item in items)
    assert [Path(item.source).name for item in iter_items([tmp_path])] == ["story0.txt", "story1.txt", "story2.txt"]
