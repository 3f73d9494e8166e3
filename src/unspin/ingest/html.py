"""HTML to the article's main text and metadata, with trafilatura."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from unspin.errors import NoArticleText

log = logging.getLogger(__name__)

# Below this, what trafilatura kept is a menu or a caption, not an article.
MIN_ARTICLE_WORDS = 5

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|article|div|p)\b", re.I | re.S)


@dataclass
class Extracted:
    text: str
    title: str | None
    author: str | None
    site: str | None
    published: str | None
    url: str | None


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


def extract(html: str, name: str, url: str | None = None) -> Extracted:
    """Main text (paragraphs separated by blank lines) and metadata; scripts and boilerplate dropped."""
    import trafilatura

    result = trafilatura.bare_extraction(
        drop_unusable_char_refs(html), url=url, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if len(text.split()) < MIN_ARTICLE_WORDS:
        raise NoArticleText(f"{name}: found no article text in this HTML page")
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    title = getattr(result, "title", None)
    # trafilatura repeats the headline as the first paragraph; the title is kept in metadata instead.
    if title and paragraphs and paragraphs[0] == title.strip() and len(paragraphs) > 1:
        paragraphs = paragraphs[1:]
    return Extracted(
        text="\n\n".join(paragraphs),
        title=title,
        author=getattr(result, "author", None),
        site=getattr(result, "sitename", None) or getattr(result, "hostname", None),
        published=getattr(result, "date", None),
        url=getattr(result, "url", None) or url,
    )
