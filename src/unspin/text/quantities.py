"""Quantities in a piece of text: amounts with their units, money, percentages, fractions, ordinals and dates.

"over 100" -> low 100, comparator ">="; "$2 billion" -> 2e9 USD; "3.5%" -> 3.5 %; "dozens of" -> 24..99;
"a third" -> 1/3; "1,200" -> 1200; "two million" -> 2e6; "March 3, 2024" -> date 2024-03-03.
Numbers are read by `unspin.text.numbers` and dates by `unspin.text.dates`, so a sentence gives here the same
figures as in events and dates. Pure regular expressions: no model, fast and testable on its own.
"""

from __future__ import annotations

import datetime as dt
import re

from unspin.analysis import Quantity
from unspin.text import dates, numbers

_CURRENCY = r"US\$|[$£€¥₹₽]"
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB"}
_CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "usd": "USD", "euros": "EUR", "euro": "EUR", "eur": "EUR", "pounds": "GBP",
    "pound": "GBP", "gbp": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "rupees": "INR", "roubles": "RUB",
    "rubles": "RUB", "hryvnias": "UAH", "shekels": "ILS",
}  # fmt: skip
_UNIT_WORDS = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km", "miles": "mi",
    "mile": "mi", "metres": "m", "meters": "m", "kg": "kg", "kilograms": "kg", "tonnes": "t", "tons": "t",
    "barrels": "barrel", "litres": "l", "liters": "l", "acres": "acre", "hectares": "ha", "mph": "mph",
    "degrees": "degree", "years": "year", "months": "month", "weeks": "week", "days": "day", "hours": "hour",
}  # fmt: skip

_AMOUNT_RE = re.compile(
    rf"(?:(?P<cmp>{numbers.MODIFIER})\s+)?"
    rf"(?:(?P<cur>{_CURRENCY})\s?)?"
    rf"(?P<num>{numbers.NUMBER})"
    rf"(?P<range>\s*(?:-|–|\bto\b|\band\b)\s*(?:{_CURRENCY})?(?P<num2>{numbers.NUMBER}))?"
    r"(?P<pct>\s*(?:%|per\s*cent\b|percent\b|percentage\s+points?\b))?"
    r"(?:\s+(?P<unitw>[A-Za-z]+))?",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(
    rf"(?:(?P<cmp>{numbers.MODIFIER})\s+)?(?P<v>{numbers.VAGUE})(?=\s+(?P<next>[A-Za-z]+))", re.IGNORECASE
)
# "many" is an impression, not a figure anyone could check; "scores" is a figure only in "scores of".
_NOT_A_FIGURE = frozenset({"many"})
# "a third paper", "a fifth season": an ordinal before its noun, not a fraction ("a third of voters", "cut by a
# third", "a third more" are fractions)
_ORDINAL_LIKE_FRACTIONS = frozenset({"a third", "one third", "a fifth", "one fifth", "a tenth"})
_NOUN_AFTER_RE = re.compile(r"[ \t]+(?!(?:of|in|to|as|than|and|or|more|less|fewer|each|per|for|from)\b)[A-Za-z]")


def _ordinal_before_noun(text: str, m: re.Match[str]) -> bool:
    return m["f"].lower() in _ORDINAL_LIKE_FRACTIONS and bool(_NOUN_AFTER_RE.match(text, m.end()))


_FRACTION_RE = re.compile(rf"(?:(?P<cmp>{numbers.MODIFIER})\s+)?(?P<f>{numbers.FRACTION})", re.IGNORECASE)
_ORDINAL_RE = re.compile(numbers.ORDINAL, re.IGNORECASE)

# Numbers that name rather than count: after a capitalised word inside a sentence ("a Boeing 737", "under
# Article 5", "Route 66", "Resolution 2334"), or after these nouns in lower case ("under article 5").
_NUMBERED_NOUNS = (
    r"article|section|chapter|clause|paragraph|resolution|route|highway|interstate|exit|flight|runway|gate|"
    r"terminal|platform|room|ward|bus|model|version|phase|level|category|grade|number|no\.|nos\."
)
_NUMBERED_NOUN_BEFORE_RE = re.compile(rf"\b(?:{_NUMBERED_NOUNS})\s*$", re.IGNORECASE)
# the word before is capitalised and does not open a sentence, a quote or a clause after a dash
_CAPITALISED_BEFORE_RE = re.compile(
    r"(?<=[^\s.!?:;\"“‘(\n—–-])\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|I)\s)[A-Z][A-Za-z.]*\s+$"
)
_CAPITALISED_AFTER_RE = re.compile(r"\s+[A-Z][a-z]")
# Clock times ("21:00", "9 p.m.", "9.30pm", "0600 GMT") and telephone numbers are not amounts.
_CLOCK_RE = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.\s?m\.|[ap]m\b|o'clock\b)|\b\d{1,2}:\d{2}(?::\d{2})?\b"
    r"|\b\d{4}\s*(?:GMT|UTC)\b",
    re.IGNORECASE,
)
_PHONE_RE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}\b")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:[,\s\u00a0\u202f\u2009]\d{3})+")


def _phones(text: str) -> list[tuple[int, int]]:
    """Telephone numbers: eight digits or more in groups, written with a '+' or '(area)', or in three groups or more
    that are not thousands ('12 500 000')."""
    spans = []
    for m in _PHONE_RE.finditer(text):
        written = m.group(0)
        digits = sum(c.isdigit() for c in written)
        groups = len(re.findall(r"\d+", written))
        marked = written.startswith(("+", "(")) or "(" in written
        if digits >= 8 and (marked or groups >= 3) and not _THOUSANDS_RE.fullmatch(written):
            spans.append((m.start(), m.end()))
    return spans


def _names_a_thing(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] is part of a name or code: 'Covid-19', 'F-16', 'G20', 'Boeing 737',
    'Article 5', 'Route 66', '9/11', the '20' of '2019-20'."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 2]
    if before[-1:].isalpha() or (before[-1:] in ("-", "/") and before[-2:-1].isalnum()):
        return True  # glued to letters or to another number: a code, not an amount
    if after[:1] == "/" and after[1:2].isdigit():
        return True
    return bool(_NUMBERED_NOUN_BEFORE_RE.search(before) or _CAPITALISED_BEFORE_RE.search(before))


def _amounts(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    for m in _AMOUNT_RE.finditer(text):
        cur = m["cur"]
        parts = numbers.split_scale(m["num"])
        number_end = m.end("num")
        dropped_scale = False
        if parts is not None and parts[1] in numbers.AMBIGUOUS_SCALES and not cur:
            # "m"/"b"/"k" alone are scales only with a currency ("$2m"): "3m" may be metres, keep the number alone
            value: float | None = None if numbers.ambiguous_point(parts[0]) else numbers.parse_digits(parts[0])
            number_end = m.start("num") + len(parts[0])
            dropped_scale = True
        else:
            value = numbers.parse_number(m["num"])
        if value is None:
            continue
        if m["num"].lower() == "one" and not (cur or m["pct"]):
            continue  # "one of the", "no one": not an amount
        if not (cur or m["pct"] or m["cmp"]) and _names_a_thing(text, m.start("num"), m.end("num")):
            continue
        unit_word = (m["unitw"] or "").lower()
        kind = "number"
        unit: str | None = None
        if cur:
            kind, unit = "money", _CURRENCY_SYMBOLS.get(cur.upper(), "USD")
        elif unit_word in _CURRENCY_WORDS:
            kind, unit = "money", _CURRENCY_WORDS[unit_word]
        if m["pct"]:
            kind, unit = "percent", "%"
        elif unit_word in _UNIT_WORDS and kind == "number":
            kind, unit = "quantity", _UNIT_WORDS[unit_word]
        amount = numbers.bounded(value, numbers.modifier(m["cmp"]) if m["cmp"] else None)
        end = number_end
        if m["range"] and not dropped_scale:
            as_range = numbers.parse_range(m["num"], m["num2"])
            if as_range is not None:
                amount, end = as_range, m.end("range")
        if m["pct"]:
            end = m.end("pct")
        elif kind in ("money", "quantity") and (unit_word in _CURRENCY_WORDS or unit_word in _UNIT_WORDS):
            end = m.end()
        start = m.start("cmp") if m["cmp"] else (m.start("cur") if cur else m.start("num"))
        if amount.value is None and text[:start].lower().endswith("between "):
            start -= len("between ")
        found.append(
            Quantity(
                start=start,
                end=end,
                text=text[start:end],
                kind=kind,
                value=amount.value,
                low=amount.low,
                high=amount.high,
                unit=unit,
                comparator=amount.comparator,
            )
        )
    return found


# Without an anchor only a date that states its year, decade or century can be resolved.
_ABSOLUTE_DATE_HINT_RE = re.compile(r"\d{4}|['’]\d0s|\d(?:st|nd|rd|th)[\s-]+century", re.IGNORECASE)


def _dates(text: str, anchor: dt.date | None, tense_of: dates.TenseOf | None = None) -> list[Quantity]:
    if anchor is None and not _ABSOLUTE_DATE_HINT_RE.search(text):
        return []
    found = []
    for mention in dates.resolve_dates(text, anchor, tense_of=tense_of):
        label = dates.iso_label(mention)
        if label is None:
            continue
        found.append(Quantity(start=mention.start, end=mention.end, text=mention.text, kind="date", date=label))
    return found


def _vague(text: str) -> list[Quantity]:
    found = []
    for m in _VAGUE_RE.finditer(text):
        word = re.sub(r"\s+", " ", m["v"].lower())
        vague = numbers.vague_amount(word)
        if vague is None or word in _NOT_A_FIGURE or (word == "scores" and m["next"].lower() != "of"):
            continue
        amount = numbers.from_vague(vague, numbers.modifier(m["cmp"]) if m["cmp"] else None)
        end = m.end("v") - (1 if m["v"].endswith(",") else 0)
        found.append(
            Quantity(
                start=m.start(),
                end=end,
                text=text[m.start() : end],
                kind="number",
                value=None,
                low=amount.low,
                high=amount.high,
                comparator=amount.comparator,
            )
        )
    for m in _FRACTION_RE.finditer(text):
        fraction = numbers.parse_fraction(m["f"])
        if fraction is None or _ordinal_before_noun(text, m):
            continue
        amount = numbers.bounded(fraction, numbers.modifier(m["cmp"]) if m["cmp"] else None)
        found.append(
            Quantity(
                start=m.start(),
                end=m.end(),
                text=m.group(0),
                kind="number",
                value=fraction,
                low=amount.low,
                high=amount.high,
                unit="fraction",
                comparator=amount.comparator,
            )
        )
    for m in _ORDINAL_RE.finditer(text):
        ordinal = numbers.parse_ordinal(m.group(0))
        if ordinal is None or _CAPITALISED_AFTER_RE.match(text, m.end()) or _names_a_thing(text, m.start(), m.end()):
            continue  # "the 101st Airborne", "5th Avenue": part of a name
        found.append(
            Quantity(
                start=m.start(), end=m.end(), text=m.group(0), kind="ordinal", value=ordinal, low=ordinal, high=ordinal
            )
        )
    return found


def find_quantities(
    text: str, offset: int = 0, anchor: dt.date | None = None, tense_of: dates.TenseOf | None = None
) -> list[Quantity]:
    """Quantities in `text`, in order, not overlapping; offsets shifted by `offset` (the text's start in a document).

    Dates win over numbers that overlap them; then the longer match wins. Dates without a year ("March 3") and
    relative ones ("last week") are resolved only when `anchor` (the publication date) is given; `tense_of`
    (offsets into `text`) says whether a year-less date lies ahead or behind, as in `text.dates`.
    """
    has_digit = any(c.isdigit() for c in text)
    if not has_digit and anchor is None and not numbers.NUMBER_WORD_RE.search(text):
        return []
    candidates = [(0, f) for f in _dates(text, anchor, tense_of)] if has_digit or anchor else []
    not_amounts = [(m.start(), m.end()) for m in _CLOCK_RE.finditer(text)] + _phones(text) if has_digit else []
    candidates += [
        (1, f)
        for f in _amounts(text) + _vague(text)
        if not any(f.start < end and start < f.end for start, end in not_amounts)
    ]
    candidates.sort(key=lambda pf: (pf[0], -(pf[1].end - pf[1].start), pf[1].start))
    taken: list[Quantity] = []
    for _, cand in candidates:
        if cand.end <= cand.start:
            continue
        if any(cand.start < t.end and t.start < cand.end for t in taken):
            continue
        taken.append(cand)
    taken.sort(key=lambda q: q.start)
    return [q.model_copy(update={"start": q.start + offset, "end": q.end + offset}) for q in taken]
