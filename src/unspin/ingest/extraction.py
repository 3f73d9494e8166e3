"""A page's article text, taken with trafilatura and then checked: what was kept, against what the page shows.

trafilatura alone keeps sidebar teasers, "Related:" lists, newsletter and follow-us lines, and on some pages
keeps only a caption or misses an article laid out in a table. Here its first result is compared with the
page: a second, precision-favouring pass trims what it added at the head and tail, lines that are wholly a
link or a known boilerplate phrase are dropped, and a result far shorter than the page's visible prose is
retried with tables and the recall-favouring mode. What remains doubtful is said in `doubts`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from unspin.errors import NoArticleText
from unspin.ingest import metadata
from unspin.ingest.page_kind import PageKind, classify

log = logging.getLogger(__name__)

# Below this, what was kept is a menu or a caption, not an article.
MIN_ARTICLE_WORDS = 5
# A first result with fewer words than this share of the page's prose is retried (caption-only results).
RETRY_BELOW_PROSE_SHARE = 0.5
# ... and the retry is taken when it keeps at least this many times more words.
RETRY_GAIN = 1.6
# A first result with more words than this share of the page's visible words took in hidden text.
OVER_PAGE_SHARE = 1.2
# A line of at most this many words that is wholly a link's text is a teaser, not article prose.
LINK_LINE_MAX_WORDS = 30

_WORD = re.compile(r"\w+", re.UNICODE)
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "head", "iframe", "select", "option", "button")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")

# Lines that are the page talking about itself, not the article: calls to act, cross-links, credits.
_BOILERPLATE = re.compile(
    r"""^(?:
        (?:read|see|watch|listen\ to)\ (?:more|also|next|the\ full\ (?:story|article|report))\b.{0,200}$
      | (?:related|recommended|more\ from|more\ on\ this|trending|popular|most\ read|also\ read)\b\s*[:|-].{0,200}$
      | related\ (?:stories|articles|coverage|content|links|topics)\b.{0,100}$
      | advertisement|advertising|sponsored(?:\ content)?|ad$
      | (?:follow|like)\ (?:us|him|her|them|\w+(?:\ \w+)?)\ on\ (?:twitter|facebook|instagram|linkedin|youtube|tiktok).{0,200}$
      | (?:sign\ up|subscribe|register)\b.{0,160}(?:newsletter|email|inbox|updates|free|today|now|here).{0,80}$
      | (?:share|share\ this|share\ on|email\ this|print\ this)(?:\ (?:article|story|page|post))?\s*[:!]?.{0,40}$
      | tell\ us\ what\ you\ think.{0,80}$
      | (?:leave\ a\ |post\ a\ |add\ a\ |view\ )?comments?(?:\ \(\d+\))?$
      | (?:copyright|©|\(c\))\ .{0,160}$
      | all\ rights\ reserved\.?.{0,80}$
      | (?:photo|image|picture)s?\ ?(?:credit|courtesy)?\s*:.{0,120}$
      | get\ .{0,80}\ delivered\b.{0,160}$
      | updated(?:\ at)?\ \d{1,2}[:.]\d{2}.{0,30}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass
class PageText:
    """The article text of a page with trafilatura's metadata, and how sure the extraction is."""

    text: str
    title: str | None = None
    author: str | None = None
    authors: list[str] = field(default_factory=list)
    site: str | None = None
    published: str | None = None
    url: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    method: str = "trafilatura"
    page_words: int = 0
    doubts: list[str] = field(default_factory=list)
    kind: PageKind = field(default_factory=PageKind)

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))

    @property
    def coverage(self) -> float | None:
        """Words kept as a share of the page's visible words (None for a page with no visible words)."""
        return round(min(1.0, self.words / self.page_words), 3) if self.page_words else None

    @property
    def confidence(self) -> float:
        return round(max(0.05, 0.95 - 0.3 * len(self.doubts)), 2)


@dataclass
class PageView:
    """What a reader sees on the page: its visible words, prose blocks and the texts of its links."""

    visible_words: int
    prose_words: int
    link_words: int
    link_texts: frozenset[str]


def view_page(tree: Any) -> PageView:
    """Visible words, words in prose paragraphs (blocks of 12+ words ending like a sentence), link texts."""
    body = tree.find(".//body")
    counts = {"visible": 0, "prose": 0, "linked": 0}
    links: set[str] = set()

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _INVISIBLE or not tag or _hidden(element):
            return
        if tag == "a":
            text = _squash(element.text_content())
            if text:
                links.add(_key(text))
                counts["linked"] += len(_WORD.findall(text))
        if tag in ("p", "li", "td", "dd", "blockquote", "div"):
            own = _squash(" ".join(_own_text(element)))
            words = len(_WORD.findall(own))
            if words >= 12 and _SENTENCE_END.search(own):
                counts["prose"] += words
        counts["visible"] += len(_WORD.findall(element.text or ""))
        for child in element:
            walk(child)
            counts["visible"] += len(_WORD.findall(child.tail or ""))

    walk(body if body is not None else tree)
    visible, prose, linked = counts["visible"], counts["prose"], counts["linked"]
    return PageView(visible, prose, linked, frozenset(links))


def extract_article(html: str, name: str = "page", url: str | None = None) -> PageText:
    """The article's text (paragraphs separated by blank lines) and metadata; boilerplate dropped."""
    import lxml.html
    import trafilatura

    tree = _parse(html, lxml.html)
    view = view_page(tree) if tree is not None else PageView(0, 0, 0, frozenset())
    first = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    page = _page_text(first, url)
    page.page_words = view.visible_words
    lines = _lines(getattr(first, "text", None) if first is not None else None)
    method = "trafilatura"

    prose_target = max(view.prose_words, 1)
    if _count(lines) < RETRY_BELOW_PROSE_SHARE * prose_target:
        retry = _lines(
            trafilatura.extract(html, url=url, include_comments=False, include_tables=True, favor_recall=True)
        )
        if _count(retry) >= RETRY_GAIN * max(_count(lines), 1):
            log.info(
                "%s: first extraction kept %d words of ~%d prose; took the recall pass",
                name,
                _count(lines),
                prose_target,
            )
            lines, method = retry, "trafilatura+recall"
    else:
        precise = _lines(
            trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
        )
        if _count(lines) > OVER_PAGE_SHARE * max(view.visible_words, 1) and _count(precise) >= MIN_ARTICLE_WORDS:
            # More words than the page shows: hidden text (a comment feed, an embedded copy) was taken too.
            lines, method = precise, "trafilatura+precision"
        elif (trimmed := _trim_to(lines, precise)) is not lines:
            lines, method = trimmed, "trafilatura+trim"

    kept = [line for line in lines if not _is_boilerplate(line, view.link_texts)]
    meta = metadata.clean(
        tree=tree, title=page.title, author=page.author, site=page.site, published=page.published, url=page.url
    )
    headlines = {_key(t) for t in (page.title, meta.title) if t}
    if kept and _key(kept[0]) in headlines and len(kept) > 1:
        kept = kept[1:]  # trafilatura repeats the headline as the first paragraph; it is kept in metadata
    page.title, page.authors, page.published, page.site = meta.title, meta.authors, meta.published, meta.site
    page.author = ", ".join(meta.authors) or None
    page.text = "\n\n".join(kept)
    page.method = method
    if page.words < MIN_ARTICLE_WORDS:
        raise NoArticleText(f"{name}: found no article text in this HTML page")
    page.doubts = _doubts(page, view)
    page.kind = classify(
        tree=tree,
        title=page.title,
        text=page.text,
        url=page.url,
        visible_words=view.visible_words,
        link_words=view.link_words,
        prose_words=view.prose_words,
    )
    return page


def _doubts(page: PageText, view: PageView) -> list[str]:
    doubts = []
    words = page.words
    if view.prose_words >= 150 and words < 0.4 * view.prose_words:
        doubts.append(f"kept {words} words of about {view.prose_words} words of prose on the page")
    sentences = len(re.findall(r"[.!?…](?:\s|$)", page.text))
    if words < 60 and sentences <= 2:
        doubts.append(f"only {words} words kept, a caption or a summary rather than an article")
    return doubts


def _trim_to(lines: list[str], precise: list[str]) -> list[str]:
    """Lines before the first and after the last line the precision pass also kept: sidebars and footers."""
    keys = {_key(line) for line in precise}
    inside = [i for i, line in enumerate(lines) if _key(line) in keys]
    if len(inside) < 2 or _count(precise) < 0.5 * _count(lines):
        return lines
    first, last = inside[0], inside[-1]
    if first == 0 and last == len(lines) - 1:
        return lines
    return lines[first : last + 1]


def _is_boilerplate(line: str, link_texts: frozenset[str]) -> bool:
    bare = line.lstrip("-•*· ").strip()
    if _BOILERPLATE.match(bare):
        return True
    words = len(_WORD.findall(bare))
    return 2 <= words <= LINK_LINE_MAX_WORDS and _key(bare) in link_texts


def _page_text(result: Any, url: str | None) -> PageText:
    def get(name: str) -> Any:
        return getattr(result, name, None) if result is not None else None

    categories = get("categories") or []
    return PageText(
        text="",
        title=get("title"),
        author=get("author"),
        site=get("sitename") or get("hostname"),
        published=get("date"),
        url=get("url") or url,
        description=get("description"),
        categories=[str(c) for c in categories] if isinstance(categories, list) else [],
    )


def _parse(html: str, lxml_html: Any) -> Any:
    try:
        return lxml_html.document_fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return None


def _hidden(element: Any) -> bool:
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or element.get("hidden") is not None or element.get("aria-hidden") == "true"


def _own_text(element: Any) -> list[str]:
    """The element's text without that of nested blocks (inline children such as <a>, <b> included)."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("a", "b", "i", "em", "strong", "span", "abbr", "cite", "q", "small", "sup", "sub", "u", "time"):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return parts


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def _count(lines: list[str]) -> int:
    return sum(len(_WORD.findall(line)) for line in lines)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))
