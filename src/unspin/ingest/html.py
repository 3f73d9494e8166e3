"""HTML to the article's main text and metadata (trafilatura, checked against the page: see `extraction`)."""

from __future__ import annotations

import re

from unspin.ingest.extraction import MIN_ARTICLE_WORDS, PageText, extract_article

__all__ = ["MIN_ARTICLE_WORDS", "Extracted", "extract", "looks_like_html"]

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|article|div|p)\b", re.I | re.S)

Extracted = PageText


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:4096]))


def extract(html: str, name: str, url: str | None = None) -> PageText:
    """Main text (paragraphs separated by blank lines) and metadata; scripts and boilerplate dropped."""
    return extract_article(html, name, url=url)
