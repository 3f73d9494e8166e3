"""Ingest: any source (text file, HTML file, URL, stdin) to one normalised `Document`.

Bad input is rejected here, at the door, with an `UnspinError` naming the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from unspin.analysis import Document, Extraction, SourceKind
from unspin.errors import EmptyInput, NotAnArticle
from unspin.ingest import html, language, text, url
from unspin.options import EARLIEST_PUBLISHED, LATEST_PUBLISHED, Options
from unspin.reading import open_regular, read_file, read_limited
from unspin.text.control import safe_line

__all__ = ["Ingested", "document_from_bytes", "load", "open_regular", "read", "read_file", "read_limited"]

log = logging.getLogger(__name__)


@dataclass
class Ingested:
    """What ingest made of a source: the document, warnings about it, and how a page's text was extracted."""

    document: Document
    warnings: list[str] = field(default_factory=list)
    extraction: Extraction | None = None


def load(source: str | Path, options: Options | None = None) -> tuple[Document, list[str]]:
    """Read and normalise `source`; returns the document and any warnings about it (see `read` for all)."""
    ingested = read(source, options)
    return ingested.document, ingested.warnings


def read(source: str | Path, options: Options | None = None) -> Ingested:
    """Read and normalise `source` (a path, an http(s) URL or '-' for standard input)."""
    options = options or Options()
    source_str = str(source)
    if isinstance(source, str) and url.is_url(source):
        body, final_url, content_type = url.fetch(
            source, max_bytes=options.max_bytes, timeout=options.timeout, allow_private=options.allow_private
        )
        is_html = content_type is None or "html" in content_type or html.looks_like_html(body)
        return document_from_bytes(body, source_str, "url", options, is_html=is_html, page_url=final_url)
    if source_str == "-":
        data = read_limited(sys.stdin.buffer, options.max_bytes, "standard input")
        return document_from_bytes(data, "-", "stdin", options)
    path = Path(source)
    data = read_file(path, options.max_bytes)
    is_html = path.suffix.lower() in (".html", ".htm", ".xhtml") or html.looks_like_html(data)
    return document_from_bytes(data, str(path), "html" if is_html else "text", options, is_html=is_html)


def document_from_bytes(
    data: bytes,
    name: str,
    kind: SourceKind,
    options: Options,
    *,
    is_html: bool | None = None,
    page_url: str | None = None,
) -> Ingested:
    decoded, encoding, warnings = text.decode(data, name)
    if is_html is None:
        is_html = html.looks_like_html(data)
    title = site = published = None
    authors: list[str] = []
    doc_url = page_url
    extraction: Extraction | None = None
    if is_html:
        extracted = html.extract(decoded, name, url=page_url)
        body = extracted.text
        title, authors, site, published = extracted.title, extracted.authors, extracted.site, extracted.published
        doc_url = extracted.url or page_url
        extraction = _extraction(extracted, name, warnings, strict=options.strict)
        if kind == "text":
            kind = "html"
    else:
        body = decoded
    body = text.normalise(body)
    if not body:
        raise EmptyInput(f"{name} has no text once blank space is removed")
    if not is_html:
        title, author = _plain_text_heading(body)
        authors = [author] if author else []
    published_source = "metadata" if published else None
    if options.published is not None:
        published, published_source = options.published.isoformat(), "option"
    elif published:
        published = _iso_date(published)
    lang = language.guess_language(body)
    if lang == "und" and (extraction is None or extraction.page_kind == "article"):
        warnings.append(f"{name} has too little running text to tell its language; English-only detectors are skipped")
    elif lang not in ("en", "und"):
        warnings.append(
            f"{name} is in {language.name_of(lang)} ({lang}), not English; unspin's models are English-only, "
            "so the detectors that read only English are skipped"
        )
    document = Document(
        text=body,
        title=_clean(title),
        url=doc_url,
        site=_clean(site),
        author=", ".join(authors) or None,
        authors=authors,
        published=published,
        published_source=published_source if published else None,
        language=lang,
        source=name,
        source_kind=kind,
        encoding=encoding,
    )
    return Ingested(document, warnings, extraction)


def _extraction(page: html.Extracted, name: str, warnings: list[str], *, strict: bool) -> Extraction:
    """The `extraction` block of the analysis; doubts and a page that is no article become warnings, or
    with `strict`, a refusal."""
    kind = page.kind
    confidence = page.confidence if kind.is_article else min(page.confidence, 0.3)
    if not kind.is_article:
        message = (
            f"this page does not look like a news article: it looks like a {kind.kind} page ({'; '.join(kind.reasons)})"
        )
        if strict:
            raise NotAnArticle(f"{name}: {message} (--strict)")
        warnings.append(message)
    if page.doubts:
        message = f"the extracted text may be incomplete: {'; '.join(page.doubts)}"
        if strict:
            raise NotAnArticle(f"{name}: {message} (--strict)")
        warnings.append(message)
    return Extraction(
        method=page.method,
        coverage=page.coverage,
        confidence=confidence,
        doubts=list(page.doubts),
        page_kind=kind.kind,
    )


_BYLINE = re.compile(r"^(?:by|written by)\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})\s*$", re.IGNORECASE)


def _plain_text_heading(body: str) -> tuple[str | None, str | None]:
    """A plain-text article often opens with its headline and a byline; take them as metadata.

    The text itself is left whole, so offsets are unaffected.
    """
    paragraphs = body.split("\n\n", 3)
    if len(paragraphs) < 2:
        return None, None
    first = paragraphs[0].strip()
    title = None
    if "\n" not in first and len(first.split()) <= 25 and not first.endswith((".", "?", "!", ":", ";", ",", '"', "”")):
        title = first
    author = None
    for paragraph in paragraphs[1:3] if title else paragraphs[:2]:
        match = _BYLINE.match(paragraph.strip())
        if match:
            author = match.group(1)
            break
    return title, author


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(safe_line(value).split())
    return value or None


def _iso_date(value: str) -> str | None:
    try:
        date = dt.date.fromisoformat(value[:10])
    except ValueError:
        log.info("ignoring unparseable publication date %r", value)
        return None
    if not EARLIEST_PUBLISHED <= date <= LATEST_PUBLISHED:
        log.info("ignoring implausible publication date %r", value)
        return None
    return date.isoformat()
