"""Encodings and page quirks the probe found: UTF-16 without BOM, Latin-1, control entities, PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.errors import BinaryInput
from unspin.ingest import load

SENTENCE = "The café owners of the old town said on Monday that rents had risen again, and they were angry."


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_detected(tmp_path: Path, codec: str) -> None:
    document, warnings = load(write(tmp_path, "story.txt", SENTENCE.encode(codec)))
    assert document.text == SENTENCE
    assert document.encoding == codec
    assert any("UTF-16 without a byte-order mark" in warning for warning in warnings)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Café", "latin-1"),
        ("Le Café de la Gare a fermé ses portes, a déclaré le maire mardi.", "latin-1"),
        ("Die Regierung hat am Dienstag eine Reform für Großstädte angekündigt.", "latin-1"),
        ("“We will not back down,” the mayor said – to applause. The lake is 40 km² and 3°C warmer.", "cp1252"),
    ],
)
def test_western_european_text_prefers_cp1252_over_exotic_code_pages(tmp_path: Path, text: str, codec: str) -> None:
    document, warnings = load(write(tmp_path, "story.txt", text.encode(codec)))
    assert document.text == text
    assert document.encoding == "cp1252"
    assert any("not UTF-8; decoded it as cp1252" in warning for warning in warnings)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Rząd ogłosił we wtorek nową reformę, która będzie dyskutowana w Sejmie.", "cp1250"),
        ("Правительство объявило во вторник о новой реформе пенсий.", "cp1251"),
    ],
)
def test_other_code_pages_are_not_forced_into_cp1252(tmp_path: Path, text: str, codec: str) -> None:
    document, _ = load(write(tmp_path, "story.txt", text.encode(codec)))
    assert document.text == text
    assert document.encoding != "cp1252"


PAGE = (
    "<!DOCTYPE html><html><head><title>Storm cuts power</title></head><body><article>"
    "<p>The storm reached the coast on Tuesday morning, officials said, and {entity} thousands of homes "
    "lost power across the region.</p></article></body></html>"
)


@pytest.mark.parametrize("entity", ["&#27;", "&#x1b;", "&#x1B", "&#0;", "&#xD800;", "&#x110000;", "&#127;"])
def test_a_lone_control_character_entity_does_not_kill_extraction(tmp_path: Path, entity: str) -> None:
    document, _ = load(write(tmp_path, "page.html", PAGE.format(entity=entity).encode()))
    assert document.text.startswith("The storm reached the coast on Tuesday morning")
    assert "thousands of homes lost power" in document.text.replace("  ", " ")
    assert "\x1b" not in document.text and "\x7f" not in document.text


def test_ordinary_entities_still_decode(tmp_path: Path) -> None:
    document, _ = load(write(tmp_path, "page.html", PAGE.format(entity="&#8220;really&#8221; &amp;").encode()))
    assert "“really” &" in document.text


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\n1 0 obj << /Title (Council report) >> endobj\nThe council said the bridge would reopen.\n",
        b"\n\n%PDF-1.7\nBT /F1 12 Tf (Flood waters recede) Tj ET\n%%EOF\n",
    ],
)
def test_text_only_pdf_is_refused_as_a_pdf(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(BinaryInput, match="is a PDF document"):
        load(write(tmp_path, "report.txt", data))
