"""A page's headline, authors and publication date, cleaned of what sites wrap around them.

Pages put the site's name, a section or a date into their <title> ("... | The Japan Times", "... | DW |
19.01.2020"), and bylines carry outlets, roles and placeholders ("By Jane Roe; CNN", "Staff", "No Author",
"JOHN DOE Associated Press"). The headline a reader sees is the page's <h1>, when there is one that matches
the page's declared title; the date is the one the page declares as published (JSON-LD, article meta tags)
before any date guessed from the text. Every rule here is general: nothing names a site.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from unspin.detectors.sources.outlets import outlet_pattern

# Title separators between a headline and the site's name or section.
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|»|«|·|•|/{1,2})\s+")
_DATE_LIKE = re.compile(
    r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}|"
    r"(?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+\d{1,2})?,?\s+\d{4})$",
    re.IGNORECASE,
)
_SECTIONS = frozenset(
    [
        "news",
        "latest",
        "world",
        "politics",
        "opinion",
        "opinions",
        "business",
        "sport",
        "sports",
        "tech",
        "technology",
        "science",
        "health",
        "culture",
        "entertainment",
        "lifestyle",
        "video",
        "videos",
        "analysis",
        "editorial",
        "comment",
        "blog",
        "local",
        "national",
        "international",
        "home",
        "breaking",
        "breaking",
        "news",
        "top",
        "stories",
        "us",
        "uk",
        "europe",
        "asia",
        "africa",
        "americas",
        "middle",
        "east",
    ]
)
# Bylines that name no person.
_PLACEHOLDERS = frozenset(
    [
        "no author",
        "unknown",
        "anonymous",
        "admin",
        "administrator",
        "staff",
        "staff reports",
        "staff report",
        "staff writer",
        "editor",
        "editors",
        "editorial",
        "editorial board",
        "editorial staff",
        "the editors",
        "web desk",
        "webdesk",
        "news desk",
        "newsdesk",
        "desk",
        "letters",
        "letters to the editor",
        "guest",
        "guest author",
        "guest contributor",
        "contributor",
        "contributors",
        "webmaster",
        "team",
        "press release",
        "sponsored",
        "null",
        "none",
        "n/a",
    ]
)
# Words that make a byline part a role or an organisation, not a person's name.
_ROLE_WORDS = frozenset(
    [
        "editor",
        "editors",
        "correspondent",
        "reporter",
        "reporters",
        "writer",
        "writers",
        "columnist",
        "contributor",
        "contributors",
        "producer",
        "analyst",
        "chief",
        "senior",
        "deputy",
        "managing",
        "executive",
        "political",
        "diplomatic",
        "economics",
        "staff",
        "editorial",
        "newsroom",
        "bureau",
        "desk",
        "team",
        "media",
        "press",
        "news",
        "newspaper",
        "agency",
        "ministry",
        "ministries",
        "department",
        "office",
        "service",
        "services",
        "international",
        "network",
        "group",
        "company",
        "corporation",
        "inc",
        "ltd",
        "llc",
        "magazine",
        "times",
        "post",
        "daily",
        "weekly",
        "tv",
        "radio",
        "online",
        "digital",
        "edition",
        "prefeitura",
        "municipal",
        "government",
        "council",
        "university",
    ]
)
_BY = re.compile(
    r"^(?:(?:analysis|opinion|commentary|review|text|story|words|report(?:ing)?|photos?|video)\s+)?"
    r"(?:by|von|par|por|di|door|av|текст|автор)\b[:\s]*",
    re.IGNORECASE,
)
_ROLE_PREFIX = re.compile(r"^(?:text|текст|автор|author|written by|posted by|published by)\s*[:\s]\s*", re.I)
# "and" in the byline's languages, in lower case: "Bruce Y. Lee" and "E. Jean Carroll" keep their initials.
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|&|/|\||\b(?:and|AND|And)\b|\b(?:und|et|y|e|и)\b(?!\.))\s*")
_NAME_PARTICLES = frozenset(
    [
        "von",
        "van",
        "der",
        "den",
        "de",
        "del",
        "della",
        "da",
        "das",
        "dos",
        "du",
        "la",
        "le",
        "bin",
        "ibn",
        "al",
        "el",
        "y",
        "e",
        "di",
    ]
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_HANDLE = re.compile(r"^[@#]|https?://|www\.|\.com\b|\d")


@dataclass
class PageMeta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    site: str | None = None


@dataclass
class Declared:
    """What the page declares about itself in meta tags and JSON-LD."""

    og_title: str | None = None
    headline: str | None = None
    site_names: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    published_utc_hour: int | None = None


def read_declared(tree: Any) -> Declared:
    declared = Declared()
    if tree is None:
        return declared
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = " ".join((meta.get("content") or "").split())
        if not content:
            continue
        if key == "og:title" and declared.og_title is None:
            declared.og_title = content
        elif key in ("og:site_name", "application-name", "twitter:site") and content not in declared.site_names:
            declared.site_names.append(content.lstrip("@"))
        elif (
            key in ("article:published_time", "datepublished", "publishdate", "pubdate", "dc.date.issued")
            and not declared.published
        ):
            declared.published, declared.published_utc_hour = _iso_date(content), _utc_hour(content)
    for script in tree.iterfind(".//script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text[:200_000])
        except ValueError:
            continue
        for item in _ld_items(data, 0):
            kind = item.get("@type")
            kinds = {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}
            if kinds & {"website", "organization", "newsmediaorganization"}:
                name = item.get("name")
                if isinstance(name, str) and name.strip():
                    declared.site_names.append(name.strip())
                continue
            if isinstance(item.get("headline"), str) and declared.headline is None:
                declared.headline = " ".join(item["headline"].split())
            if isinstance(item.get("datePublished"), str) and not declared.published:
                value = item["datePublished"]
                declared.published, declared.published_utc_hour = _iso_date(value), _utc_hour(value)
            if not declared.authors:
                declared.authors = _ld_names(item.get("author"))
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                declared.site_names.append(publisher["name"].strip())
    return declared


def _ld_items(data: Any, depth: int) -> list[dict[str, Any]]:
    if depth > 4:
        return []
    if isinstance(data, list):
        return [item for entry in data[:50] for item in _ld_items(entry, depth + 1)]
    if isinstance(data, dict):
        items = [data]
        if "@graph" in data:
            items += _ld_items(data["@graph"], depth + 1)
        return items
    return []


def _ld_names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for entry in values[:20]:
        if isinstance(entry, dict):
            kind = str(entry.get("@type", "Person")).lower()
            if kind != "person":
                continue
            entry = entry.get("name")
        if isinstance(entry, str) and entry.strip():
            names.append(" ".join(entry.split()))
    return names


def clean(
    *,
    tree: Any,
    title: str | None,
    author: str | None,
    site: str | None,
    published: str | None,
    url: str | None,
) -> PageMeta:
    """The page's headline, its authors (people only) and its publication date (ISO)."""
    declared = read_declared(tree)
    sites = [name for name in [site, *declared.site_names] if name]
    host = _host_label(url)
    page_title = declared.og_title or declared.headline or title
    headline = _heading(tree, [t for t in (page_title, title, declared.headline) if t], sites, host)
    cleaned_title = headline or clean_title(page_title, sites, host)
    byline = declared.authors or ([author] if author else [])
    authors = clean_authors(byline, sites, host)
    if not authors and declared.authors and author:
        authors = clean_authors([author], sites, host)
    shown = clean_authors(visible_byline(tree), sites, host, single_names=True)
    # The byline printed on the page lists every author; metadata often names only the first.
    if len(shown) > len(authors) and {_squash_key(a) for a in authors} <= {_squash_key(a) for a in shown}:
        authors = shown
    authors = [_as_printed(name, shown) for name in authors]
    hour = declared.published_utc_hour
    early = hour is not None and hour < _EARLY_UTC_HOURS
    printed = printed_dates(tree) if early or not declared.published else frozenset()
    date = _publication_date(declared.published, early, published, printed)
    return PageMeta(title=cleaned_title, authors=authors, published=date, site=site or next(iter(sites), None))


def clean_title(title: str | None, sites: list[str], host: str | None = None) -> str | None:
    """`title` without the site's name, a section or a date at either end."""
    if not title:
        return None
    pieces = re.split(f"({_SEPARATORS.pattern})", " ".join(title.split()))
    parts, separators = pieces[0::2], pieces[1::2]
    low, high = 0, len(parts)
    while high - low > 1 and _is_wrapper(parts[high - 1], sites, host, rest=parts[low : high - 1]):
        high -= 1
    while high - low > 1 and _is_wrapper(parts[low], sites, host, rest=parts[low + 1 : high]):
        low += 1
    kept = "".join(parts[i] + (separators[i] if i < high - 1 else "") for i in range(low, high))
    return kept.strip() or None


def _is_wrapper(part: str, sites: list[str], host: str | None, rest: list[str]) -> bool:
    key = _squash_key(part)
    if not key:
        return True
    if any(key == _squash_key(site) or (len(key) > 3 and key in _squash_key(site)) for site in sites):
        return True
    if host and len(key) >= 3 and (key in host or host in key):
        return True
    if _DATE_LIKE.match(part.strip()) or part.strip().lower() in _SECTIONS:
        return True
    rest_words = sum(len(p.split()) for p in rest)
    # A short end part after a pipe-separated headline is the site's own label (its name, its tagline); one that
    # opens with a conjunction ("— And They're Not Great") goes on the headline's sentence.
    words = part.split()
    if words and words[0].lower() in ("and", "but", "or", "yet", "so"):
        return False
    return len(words) <= 4 and rest_words >= 5 and part[:1].isupper() and _has_site_shape(part)


def _has_site_shape(part: str) -> bool:
    """Brand-like: every word capitalised or a number (a headline fragment has lower-case words)."""
    words = part.split()
    return all(w[:1].isupper() or w[:1].isdigit() or not w[:1].isalpha() for w in words)


def _heading(tree: Any, titles: list[str], sites: list[str], host: str | None) -> str | None:
    """The page's visible <h1> that is its headline: one that shares most words with its declared title."""
    if tree is None:
        return None
    candidates: list[str] = []
    boxed: list[str] = []  # h1s in a page header: often the site's logo, taken only when they match the title
    for element in tree.iterfind(".//h1"):
        ancestors = {parent.tag for parent in element.iterancestors()}
        if ancestors & {"a", "nav", "footer", "aside"}:
            continue
        text = " ".join(element.text_content().split())
        if _links_away(element, text, host):
            continue  # a headline that is wholly a link to another site heads a teaser of that site's story
        if 2 <= len(text.split()) <= 40 and not _is_wrapper(text, sites, host, rest=[]):
            in_header = "header" in ancestors and not ancestors & {"article", "main"}
            (boxed if in_header else candidates).append(text)
    title_words = {w for t in titles for w in _words(t)}
    boxed = [text for text in boxed if _overlap(_words(text), title_words) >= 0.5]
    candidates = candidates or boxed
    if not candidates:
        return None
    best = max(candidates, key=lambda text: _overlap(_words(text), title_words))
    score = _overlap(_words(best), title_words)
    if score >= 0.4 or (len(set(candidates)) == 1 and not title_words):
        return best
    unique = list(dict.fromkeys(candidates))
    # One headline on the page, worded differently from its <title> (an SEO title): the reader sees the h1.
    if len(unique) == 1 and len(candidates) <= 2 and score >= 0.2:
        return best
    return None


def _links_away(element: Any, text: str, host: str | None) -> bool:
    """The element's whole text is one link, and the link leads to another site than the page's."""
    links = element.findall(".//a")
    if host is None or len(links) != 1 or " ".join(links[0].text_content().split()) != text:
        return False
    target = urlsplit(links[0].get("href") or "").netloc.lower()
    return bool(target) and host not in target


_BYLINE_CLASS = "contains(translate(@class, 'BYLINE', 'byline'), 'byline')"


def _as_printed(name: str, shown: list[str]) -> str:
    """A name the extractor ran on into what followed it ("Carrie Arnold November") is the printed full name it
    starts with ("Carrie Arnold"); a printed first name alone never shortens a full one."""
    key = _squash_key(name)
    for printed in shown:
        printed_key = _squash_key(printed)
        if len(printed.split()) >= 2 and key != printed_key and key.startswith(printed_key):
            return printed
    return name


# Where a printed byline's names end: a digit, a separator, a date's month ("By Jane Roe November 15, 2019") or its
# weekday ("by Jeff Roe Monday, November 18, 2019").
_MONTH_NAMES = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
)
_WEEKDAY_NAMES = r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_BYLINE_END = re.compile(
    r"[\d|•·\n]|\b(?:" + _MONTH_NAMES + r")\.?(?=\s+\d)|"
    r"\b(?:" + _WEEKDAY_NAMES + r"),?(?=\s+(?:" + _MONTH_NAMES + r"|\d))"
)
_GLUED_WEEKDAY = re.compile(r"(?<=[a-z])(?=(?:" + _WEEKDAY_NAMES + r"),)")


def visible_byline(tree: Any) -> list[str]:
    """The "By ..." line printed with the article (a byline element), cut before any date or share buttons."""
    if tree is None:
        return []
    for element in tree.xpath(f"//*[{_BYLINE_CLASS} or @itemprop='author' or @rel='author']")[:20]:
        text = " ".join(element.text_content().split())
        # "by Jeff Roe<br><span>Monday, November 18, 2019</span>" reads "Jeff RoeMonday, ...": a weekday glued to a
        # name starts the date
        text = _GLUED_WEEKDAY.sub(" ", text)
        if _BY.match(text) and len(text) <= 200:
            return [_BYLINE_END.split(text, maxsplit=1)[0]]
    return []


def clean_authors(
    raw: list[str], sites: list[str], host: str | None = None, *, single_names: bool = False
) -> list[str]:
    """People's names only: bylines split, "By", roles, outlets, dates and placeholders removed.

    A one-word name is kept only with `single_names` (a byline printed as "By Catherine"): in metadata a
    single word is far more often a handle or a brand.
    """
    names: list[str] = []
    outlets = outlet_pattern()
    site_keys = {_squash_key(site) for site in sites if site}
    for value in raw:
        value = " ".join(value.split())
        for part in _AUTHOR_SPLIT.split(value):
            name = _ROLE_PREFIX.sub("", _BY.sub("", part.strip(" .:-–—"))).strip(" .:-–—")
            name = outlets.sub("", name).strip(" .,:-–—")
            for site in sites:
                if site and len(site) > 2:
                    name = re.sub(rf"\s*\b{re.escape(site)}\b\s*", " ", name, flags=re.I).strip()
            name = _drop_trailing_roles(_drop_trailing_site(name, site_keys, host))
            if _is_person(name, site_keys, host, single_names):
                name = _display_case(name)
                if _squash_key(name) not in {_squash_key(n) for n in names}:
                    names.append(name)
    return names


def _drop_trailing_site(name: str, site_keys: set[str], host: str | None) -> str:
    """'Jane Roe Sputnik International' with the site 'SputnikInt': the words that spell the site go."""
    words = name.split()
    keys = {key for key in (*site_keys, host or "") if len(key) >= 3}
    for size in range(len(words) - 2, 0, -1):
        tail = _squash_key(" ".join(words[-size:]))
        if any(tail.startswith(key) or key.startswith(tail) for key in keys):
            return " ".join(words[:-size])
    return name


def _drop_trailing_roles(name: str) -> str:
    words = name.split()
    while len(words) > 2 and words[-1].strip(",.").lower() in _ROLE_WORDS:
        words.pop()
    return " ".join(words)


def _is_person(name: str, site_keys: set[str], host: str | None, single_names: bool) -> bool:
    if not name or name.lower() in _PLACEHOLDERS or _HANDLE.search(name) or _DATE_LIKE.match(name):
        return False
    key = _squash_key(name)
    if key in site_keys or (host and key in host):
        return False
    if _CJK.search(name):
        return 2 <= len(name.replace(" ", "")) <= 12
    words = name.split()
    if len(words) == 1:
        # A first name alone ("Catherine") is a person; a handle, an acronym or a brand ("AS", "LinkNaija") not.
        return single_names and len(name) >= 4 and name.isalpha() and name[0].isupper() and name[1:].islower()
    if len(words) > 5:
        return False
    for word in words:
        bare = word.strip(".,'’()")
        if bare.lower() in _ROLE_WORDS:
            return False
        if bare and bare[0].islower() and bare.lower() not in _NAME_PARTICLES:
            return False
    return words[0].lower() not in ("the", "a", "an", "our", "your")


def _display_case(name: str) -> str:
    """'DANICA KIRKA' reads 'Danica Kirka'; names already in mixed case are left as written."""
    if name.isupper() and any(c.isalpha() for c in name):
        return " ".join(
            part.capitalize() if part.lower() not in _NAME_PARTICLES else part.lower() for part in name.split()
        )
    return name


def printed_dates(tree: Any) -> set[str]:
    """The full dates the page shows its readers, read from its visible text (ISO strings). A `<time>`
    element's `datetime` is the machine's value, often the UTC one the metadata declares, so only its printed
    text counts. Scripts, styles and templates are not read; the text read is capped."""
    if tree is None:
        return set()
    from unspin.text.dates import stated_dates

    parts: list[str] = []
    size = 0
    for element in tree.iter():
        # Comments and processing instructions have no string tag; their own text is not shown, their tail is.
        tag = element.tag.lower() if isinstance(element.tag, str) else "#comment"
        if tag not in _INVISIBLE and element.text:
            parts.append(element.text)
            size += len(element.text)
        if element.tail:
            parts.append(element.tail)
            size += len(element.tail)
        if size > _PRINTED_TEXT_CAP:
            break
    return {date.isoformat() for date in stated_dates("\n".join(parts))}


_INVISIBLE = frozenset({"#comment", "script", "style", "noscript", "template", "title"})
_PRINTED_TEXT_CAP = 400_000  # characters of visible text read for dates: past any article's header


def _publication_date(
    declared: str | None, early_hour: bool, guessed: str | None, printed: AbstractSet[str] = frozenset()
) -> str | None:
    """The declared publication date, as the page's readers saw it.

    A UTC timestamp in the small hours is the evening before in the Americas. When the page prints that
    evening's date and not the declared day, the printed date is the one its readers saw; when it prints the
    declared day and not the evening's, the declared day stands. When it prints both (posted, updated) or
    neither, the date read from the page (htmldate's) breaks the tie the same way."""
    guessed_date = _iso_date(guessed) if guessed else None
    if not declared:
        # htmldate gives the first of January when all it found was a year: a page that prints no such date has none
        if guessed_date and guessed_date.endswith("-01-01") and guessed_date not in printed:
            return None
        return guessed_date
    if early_hour:
        import datetime as dt

        previous = (dt.date.fromisoformat(declared) - dt.timedelta(days=1)).isoformat()
        shows_previous, shows_declared = previous in printed, declared in printed
        if shows_previous != shows_declared:
            return previous if shows_previous else declared
        if guessed_date == previous:
            return previous
    return declared


_EARLY_UTC_HOURS = 8  # 00:00-07:59 UTC is still the evening before from Hawaii to Newfoundland


def _utc_hour(value: str) -> int | None:
    """The hour of a timestamp in UTC (a `Z` or zero offset, or no offset at all, as pages mostly write UTC);
    None for a date alone or a timestamp with another offset."""
    match = re.match(r"\s*\d{4}-\d{2}-\d{2}[T ](\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?\s*(Z|[+-]00:?00|UTC|GMT)?\s*$", value)
    return int(match.group(1)) if match else None


def _iso_date(value: str) -> str | None:
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1990 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _host_label(url: str | None) -> str | None:
    """The registered name of the page's host ('japantimes' for www.japantimes.co.jp)."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp", "edition", "news")]
    if len(labels) >= 3 and len(labels[-2]) <= 3:  # co.uk, com.br
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return labels[-1] if labels else None


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()))


def _overlap(words: set[str], title_words: set[str]) -> float:
    return len(words & title_words) / len(words) if words else 0.0


def _squash_key(text: str) -> str:
    """Letters and digits only, lower case: 'The Japan Times' and 'japantimes' meet as 'japantimes'."""
    key = "".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()))
    return key[3:] if key.startswith("the") and len(key) > 6 else key
