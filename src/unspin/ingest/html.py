"""HTML to the article's main text and metadata (trafilatura, checked against the page: see `extraction`)."""

from __future__ import annotations

import re

from unspin.ingest.extraction import MIN_ARTICLE_WORDS, PageText, extract_article

__all__ = ["MIN_ARTICLE_WORDS", "Extracted", "extract", "looks_like_html"]

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|article|div|p)\b", re.I | re.S)

Extracted = PageText


# A numeric character reference: decimal or hexadecimal, the closing semicolon optional as in browsers.
_CHAR_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,8})|0*([0-9]{1,10}));?")


def _drop_unusable_char_ref(match: re.Match[str]) -> str:
    hex_digits, decimal = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(decimal)
    # Control characters (tab and newlines aside), surrogates and numbers past Unicode are parse errors in
    # HTML; lxml rejects the whole page for one of them, so a single "&#27;" would lose the article.
    if (code < 32 and code not in (9, 10, 13)) or code == 127 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return ""
    return match.group(0)


def drop_unusable_char_refs(html: str) -> str:
    return _CHAR_REF.sub(_drop_unusable_char_ref, html) if "&#" in html else html


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START.match(data[:4096]))


def extract(html: str, name: str, url: str | None = None) -> PageText:
    """Main text (paragraphs separated by blank lines) and metadata; scripts and boilerplate dropped."""
    # One unusable character reference ("&#27;") would make lxml reject the whole page.
    return extract_article(drop_unusable_char_refs(html), name, url=url)
