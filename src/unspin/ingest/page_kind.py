"""Is this page an article? Listings, homepages, status, product, forum and error pages are told apart.

unspin's findings only mean something on an article: run on a police-blotter list it reports "attacks", on a
server-status page "claims". The page says what it is in several ways, each weak alone: its declared type
(og:type, JSON-LD @type), its title, how much of it is links, and whether what was kept reads as prose
(sentences) or as a list of short, alike items. A page is called something else than an article only when a
declared type or two independent signals say so, so that ordinary news with short paragraphs stays an article.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

PAGE_KINDS = ("article", "listing", "homepage", "status", "product", "forum", "error", "other")

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "socialmediaposting",
    "liveblogposting",
    "report",
    "scholarlyarticle",
    "techarticle",
    "review",
}
_DECLARED = {
    "product": "product",
    "offer": "product",
    "discussionforumposting": "forum",
    "qapage": "forum",
    "collectionpage": "listing",
    "itemlist": "listing",
    "searchresultspage": "listing",
}
_ERROR_TITLE = re.compile(
    r"\b(?:404|403|500|502|503|page not found|not found|access denied|forbidden|server error|"
    r"bad gateway|service unavailable|no longer available)\b",
    re.IGNORECASE,
)
_STATUS_TITLE = re.compile(
    r"\b(?:server[- ]status|(?:apache|nginx|server|service|system)\s+status|status page|uptime)\b", re.I
)
_FORUM_MARKS = re.compile(r"\b(?:reply|quote|posted by|joined|posts:|thread|re:)\b", re.IGNORECASE)
_SHOP_MARKS = re.compile(r"\b(?:add to (?:cart|basket|bag)|buy now|in stock|out of stock|free shipping)\b", re.I)
_FIELD_LINE = re.compile(r"^(?:[-•*] )?[^\W\d_][\w .()/-]{1,39}:\s*\S")
_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$|(?=[A-Z]))|[。！？]")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class PageKind:
    kind: str = "article"
    reasons: list[str] = field(default_factory=list)

    @property
    def is_article(self) -> bool:
        return self.kind == "article"


def declared_types(tree: Any) -> tuple[str | None, set[str]]:
    """The page's og:type and its JSON-LD @type values (lower case)."""
    og_type = None
    for meta in tree.iterfind(".//meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:type":
            og_type = (meta.get("content") or "").strip().lower() or None
            break
    types: set[str] = set()
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text[:200_000])
        except ValueError:
            continue
        _collect_types(data, types, depth=0)
    return og_type, types


def _collect_types(data: Any, types: set[str], depth: int) -> None:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:50]:
            _collect_types(item, types, depth + 1)
    elif isinstance(data, dict):
        value = data.get("@type")
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str):
                types.add(name.lower())
        for key in ("@graph", "mainEntity"):
            if key in data:
                _collect_types(data[key], types, depth + 1)


def classify(
    *,
    tree: Any,
    title: str | None,
    text: str,
    url: str | None,
    visible_words: int,
    link_words: int,
    prose_words: int,
) -> PageKind:
    """What the page is, with the reasons a reader can check."""
    og_type, types = (None, set()) if tree is None else declared_types(tree)
    says_article = bool(types & _ARTICLE_TYPES) or og_type == "article"
    title_text = title or ""
    lines = [line for line in text.split("\n") if line.strip()]
    words = len(_WORD.findall(text))
    sentences = len(_SENTENCE.findall(text))
    link_share = link_words / visible_words if visible_words else 0.0

    if _ERROR_TITLE.search(title_text) and words < 150:
        return PageKind("error", [f"the title reads as an error page ({title_text!r})"])
    field_lines = sum(bool(_FIELD_LINE.match(line)) for line in lines)
    if _STATUS_TITLE.search(title_text) or (len(lines) >= 6 and field_lines >= 0.5 * len(lines) and not says_article):
        reason = (
            f"the title reads as a status page ({title_text!r})"
            if _STATUS_TITLE.search(title_text)
            else (f"{field_lines} of {len(lines)} lines are 'name: value' fields")
        )
        return PageKind("status", [reason, f"{sentences} sentences in {words} words"])
    if not says_article:
        for declared in sorted(types):
            if declared in _DECLARED:
                return PageKind(_DECLARED[declared], [f"the page declares itself a {declared} (JSON-LD)"])
        if og_type and og_type.startswith("product"):
            return PageKind("product", [f"the page declares itself a {og_type} (og:type)"])

    reasons: list[str] = []
    short_items = _short_alike_items(lines)
    if short_items:
        reasons.append(short_items)
    if link_share > 0.5 and prose_words < 150:
        reasons.append(f"{link_share:.0%} of the page's words are links, with little prose")
    if words >= 30 and sentences <= max(1, words // 80):
        reasons.append(f"{sentences} sentences in {words} words kept")
    if says_article:
        # A declared article needs strong evidence against it: a list and no prose together.
        if len(reasons) < 2 or prose_words >= 150:
            return PageKind()
    elif len(reasons) < 2:
        shop = len(_SHOP_MARKS.findall(text)) >= 2
        forum = len(_FORUM_MARKS.findall(text)) >= max(6, len(lines) // 2)
        if shop:
            return PageKind("product", ["shopping words (add to cart, in stock ...) and no article markup"])
        if forum:
            return PageKind("forum", ["many 'reply', 'quote', 'posted by' marks and no article markup"])
        return PageKind()
    path = urlsplit(url).path if url else ""
    if (url and path in ("", "/")) or (og_type == "website" and link_share > 0.5):
        return PageKind("homepage", ["the site's front page", *reasons])
    return PageKind("listing", reasons)


def _short_alike_items(lines: list[str]) -> str | None:
    """Eight or more short items (under 25 words) making up most lines, many opening the same way."""
    if len(lines) < 8:
        return None
    short = [line for line in lines if len(_WORD.findall(line)) < 25]
    if len(short) < 0.7 * len(lines):
        return None
    openings = Counter(_opening(line) for line in short)
    shape, repeats = openings.most_common(1)[0]
    if repeats < max(4, len(short) // 3):
        return None
    return f"{len(short)} of {len(lines)} paragraphs are short items, {repeats} opening alike ({shape})"


def _opening(line: str) -> str:
    """The shape of a line's first token: a date or time, a number, a bullet, or the word itself."""
    first = line.split(maxsplit=1)[0] if line.split() else ""
    if re.match(r"^\d{1,2}[:.]\d{2}", first) or re.match(r"^\d{1,4}[-/.]\d{1,2}", first):
        return "a date or time"
    if first[:1].isdigit():
        return "a number"
    if first in ("-", "•", "*", "·"):
        return "a bullet"
    return repr(first.lower().strip(":,.")[:20])
