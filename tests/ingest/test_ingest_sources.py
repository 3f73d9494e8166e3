"""Ingest of each source kind: text, BOM, other encodings, HTML, stdin, URL."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import httpx
import pytest

from unspin.ingest import load, url
from unspin.options import Options

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

TEXT = "The mayor said on Monday that 40 homes were flooded.\r\nResidents said help came late.\n"


def test_ingest_text_file_normalises_newlines(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    document, warnings = load(path)
    assert document.text == "The mayor said on Monday that 40 homes were flooded.\nResidents said help came late."
    assert document.source_kind == "text"
    assert document.encoding == "utf-8"
    assert document.language == "en"
    assert warnings == []


def test_ingest_utf8_bom_is_dropped_silently(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "Café owners said prices rose.".encode())
    document, warnings = load(path)
    assert document.text == "Café owners said prices rose."
    assert document.encoding == "utf-8-sig"
    assert warnings == []


def test_ingest_latin1_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    sentence = "The café owners of the old town said that the prices had risen again this year, and they were angry."
    path.write_bytes(sentence.encode("latin-1"))
    document, warnings = load(path)
    assert "café" in document.text
    assert len(warnings) == 1 and "not UTF-8" in warnings[0]


def test_ingest_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes("The council said that the road would reopen.".encode("utf-16"))
    document, _ = load(path)
    assert document.text == "The council said that the road would reopen."


def test_ingest_html_file_extracts_text_and_metadata() -> None:
    document, warnings = load(FIXTURES / "article.html")
    assert document.source_kind == "html"
    assert document.title == "Council shuts riverside library after budget vote"
    assert document.author == "Dana Whitfield"
    assert document.site == "The Valley Courier"
    assert document.published == "2024-03-14"
    assert document.published_source == "metadata"
    assert document.text.startswith("The town council voted seven to four")
    assert "ripping the heart out" in document.text
    assert "window.tracking" not in document.text
    assert "Most read" not in document.text and "Copyright" not in document.text
    assert "\n\n" in document.text  # paragraphs stay apart
    assert warnings == []


def test_ingest_published_option_overrides_metadata() -> None:
    import datetime as dt

    document, _ = load(FIXTURES / "article.html", Options(published=dt.date(2024, 3, 15)))
    assert document.published == "2024-03-15"
    assert document.published_source == "option"


def test_ingest_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode())))
    document, _ = load("-")
    assert document.source_kind == "stdin"
    assert document.text.startswith("The mayor said")


def test_ingest_url_through_a_mock_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    html = (FIXTURES / "article.html").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"location": "/story"})
        return httpx.Response(200, content=html, headers={"content-type": "text/html; charset=utf-8"})

    monkeypatch.setattr(url, "resolve_host", lambda host: [__import__("ipaddress").ip_address("93.184.215.14")])
    body, final, content_type = url.fetch(
        "https://news.example.org/old", max_bytes=1_000_000, timeout=5, transport=httpx.MockTransport(handler)
    )
    assert final == "https://news.example.org/story"
    assert body == html
    assert content_type is not None and "html" in content_type


@pytest.mark.parametrize(
    ("text", "title", "author"),
    [
        ("Storm hits the coast\n\nBy Ana Ruiz\n\nThe storm arrived at dawn.", "Storm hits the coast", "Ana Ruiz"),
        ("Storm hits the coast\n\nThe storm arrived at dawn.", "Storm hits the coast", None),
        ("The storm arrived at dawn. It was bad.\n\nMore later.", None, None),
        ("One paragraph only", None, None),
    ],
)
def test_ingest_plain_text_headline_and_byline(
    tmp_path: Path, text: str, title: str | None, author: str | None
) -> None:
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    document, _ = load(path)
    assert (document.title, document.author) == (title, author)
    assert document.text == text  # metadata only: the text and its offsets are untouched
