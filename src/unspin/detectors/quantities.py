"""Find and normalise the amounts, percentages, money and dates in a piece of text.

"over 100" -> low 100, comparator ">="; "$2 billion" -> 2e9 USD; "3.5%" -> 3.5 %; "dozens" -> >= 24;
"a third" -> 1/3; "1,200" -> 1200; "two million" -> 2e6; "March 3, 2024" -> date 2024-03-03.
Pure regular expressions: no model, so it is fast and testable on its own.
"""

from __future__ import annotations

import re
from typing import Literal

from unspin.analysis import Quantity

Comparator = Literal["=", ">=", "<=", "~"]

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS_WORDS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
_VAGUE = {  # plural amounts: at least two of the unit
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "tens of thousands": 20000,
    "hundreds of thousands": 200000,
    "millions": 2e6,
    "billions": 2e9,
}
_FRACTIONS = {
    "half": 1 / 2,
    "a half": 1 / 2,
    "one half": 1 / 2,
    "a third": 1 / 3,
    "one third": 1 / 3,
    "one-third": 1 / 3,
    "two thirds": 2 / 3,
    "two-thirds": 2 / 3,
    "a quarter": 1 / 4,
    "one quarter": 1 / 4,
    "one-quarter": 1 / 4,
    "three quarters": 3 / 4,
    "three-quarters": 3 / 4,
    "a fifth": 1 / 5,
    "one fifth": 1 / 5,
    "a tenth": 1 / 10,
    "one in three": 1 / 3,
    "one in four": 1 / 4,
    "one in five": 1 / 5,
    "one in ten": 1 / 10,
    "a dozen": 12.0,
    "dozen": 12.0,
}
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB"}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "usd": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "pounds": "GBP",
    "pound": "GBP",
    "gbp": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "rupees": "INR",
    "roubles": "RUB",
    "rubles": "RUB",
    "hryvnias": "UAH",
    "shekels": "ILS",
}
_UNIT_WORDS = {
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilometre": "km",
    "kilometer": "km",
    "miles": "mi",
    "mile": "mi",
    "metres": "m",
    "meters": "m",
    "kg": "kg",
    "kilograms": "kg",
    "tonnes": "t",
    "tons": "t",
    "barrels": "barrel",
    "litres": "l",
    "liters": "l",
    "acres": "acre",
    "hectares": "ha",
    "mph": "mph",
    "degrees": "degree",
    "years": "year",
    "months": "month",
    "weeks": "week",
    "days": "day",
    "hours": "hour",
}
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_GE = r"more\s+than|over|above|at\s+least|upwards\s+of|in\s+excess\s+of|exceeding|no\s+fewer\s+than|no\s+less\s+than"
_LE = r"less\s+than|fewer\s+than|under|below|at\s+most|up\s+to|no\s+more\s+than|as\s+many\s+as|as\s+much\s+as"
_APPROX = r"about|around|approximately|roughly|nearly|almost|some|an\s+estimated|estimated|close\s+to|circa|~"

_WORD_NUMBER = (
    r"(?:(?:" + "|".join(_TENS_WORDS) + r")(?:[-\s](?:" + "|".join(k for k in _UNITS_WORDS if k != "zero") + r"))?"
    r"|" + "|".join(sorted(_UNITS_WORDS, key=len, reverse=True)) + r"|a)"
)
# Thousands grouped by commas, or by spaces as agency copy writes them ("2 000 cases", no-break and thin spaces too).
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d,.]\d)(?!\d)|\d+(?:\.\d+)?|\.\d+"
_SCALE = r"hundred|thousand|million|billion|trillion|bn|mn|mln|tn|trn|k|m|b"
_NUMBER = (
    rf"(?:(?P<num>{_DIGITS})(?:\s*-?\s*(?P<scale>{_SCALE})\b)?"
    rf"|\b(?P<wnum>{_WORD_NUMBER})(?:[\s-]+(?P<wscale>hundred|thousand|million|billion|trillion)\b)+"
    rf"|\b(?P<wnum_only>{_WORD_NUMBER.replace('|a)', ')')})\b)"
)

_AMOUNT_RE = re.compile(
    rf"(?P<cmp>\b(?:{_GE}|{_LE}|{_APPROX})\s+)?"
    rf"(?P<cur>US\$|[$£€¥₹₽])?\s?"
    + _NUMBER
    + rf"(?P<range>\s*(?:-|–|to|and)\s*(?P<cur2>US\$|[$£€¥₹₽])?(?P<num2>{_DIGITS})(?:\s*(?P<scale2>{_SCALE})\b)?)?"
    + r"(?P<pct>\s*(?:%|per\s*cent\b|percent\b|percentage\s+points?\b))?"
    + r"(?:\s+(?P<unitw>[A-Za-z]+))?",
    re.IGNORECASE,
)
_BETWEEN_RE = re.compile(
    rf"\bbetween\s+(?P<cur>[$£€¥])?(?P<a>{_DIGITS})\s+and\s+(?P=cur)?(?P<b>{_DIGITS})", re.IGNORECASE
)
_VAGUE_RE = re.compile(
    r"\b(?P<cmp>(?:"
    + _GE
    + r")\s+)?(?P<v>"
    + "|".join(sorted((re.escape(k) for k in _VAGUE), key=len, reverse=True))
    + r")\b(?=\s+of\b)",
    re.IGNORECASE,
)
_FRACTION_RE = re.compile(
    r"\b(?P<cmp>(?:"
    + _GE
    + "|"
    + _LE
    + "|"
    + _APPROX
    + r")\s+)?(?P<f>"
    + "|".join(sorted((re.escape(k) for k in _FRACTIONS), key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_MONTH_NAMES = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DATE_RES = (
    # 2024-03-03
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])\b"),
    # March 3, 2024 / March 3rd 2024 / March 3
    re.compile(
        rf"\b(?P<mon>{_MONTH_NAMES})\s+(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
    ),
    # 3 March 2024 / 3rd of March
    re.compile(
        rf"\b(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_NAMES})(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
    ),
    # March 2024
    re.compile(rf"\b(?P<mon>{_MONTH_NAMES})\s+(?P<y>(?:19|20)\d\d)\b"),
    # in 2024, since 1998, the 1990s
    re.compile(
        r"\b(?:in|since|by|until|till|from|during|before|after|of|early|late|mid-?|through|to|and)\s+(?P<y>(?:19|20)\d\d)(?P<s>s)?\b(?![,.]?\d)",
        re.IGNORECASE,
    ),
)
_ORDINAL_RE = re.compile(r"\b(?P<n>\d+)(?:st|nd|rd|th)\b")


_NUMBER_WORD_RE = re.compile(
    r"\b(?:" + "|".join([*_UNITS_WORDS, *_TENS_WORDS, "hundred", "thousand", "million", "billion", "trillion",
                          "dozens?", "scores", "hundreds", "thousands", "millions", "billions", "half", "third",
                          "thirds", "quarters?", "fifth", "tenth"]) + r")\b",
    re.IGNORECASE,
)  # fmt: skip


def _word_value(words: str) -> float | None:
    total = 0.0
    current = 0.0
    seen = False
    for word in re.split(r"[\s-]+", words.lower()):
        if not word or word == "and":
            continue
        if word == "a":
            current, seen = 1.0, True
        elif word in _UNITS_WORDS:
            current += _UNITS_WORDS[word]
            seen = True
        elif word in _TENS_WORDS:
            current += _TENS_WORDS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1.0) * 100
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1.0) * _SCALES[word]
            current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def _digits(value: str) -> float:
    return float(re.sub(r"[,\s\u202f\u2009]", "", value))


def _comparator(words: str | None) -> Comparator:
    if not words:
        return "="
    w = re.sub(r"\s+", " ", words.strip().lower())
    if re.fullmatch(_GE.replace(r"\s+", " "), w):
        return ">="
    if re.fullmatch(_LE.replace(r"\s+", " "), w):
        return "<="
    return "~"


def _bounds(value: float, comparator: Comparator) -> tuple[float | None, float | None]:
    if comparator == ">=":
        return value, None
    if comparator == "<=":
        return None, value
    return value, value


def _amounts(text: str) -> list[Quantity]:
    found: list[Quantity] = []
    for m in _AMOUNT_RE.finditer(text):
        if m.group("num") is None and m.group("wnum") is None and m.group("wnum_only") is None:
            continue
        scale_word = (m.group("scale") or "").lower()
        dropped_scale = False
        if m.group("num") is not None:
            try:
                value = _digits(m.group("num"))
            except ValueError:
                continue
            if scale_word:
                # "m"/"b"/"k" alone are scales only right after a number and with currency ("$2m"), or "bn".
                if scale_word in ("m", "b", "k") and not m.group("cur"):
                    scale_word = ""  # "3m" may be metres: keep the number alone
                    dropped_scale = True
                value *= _SCALES.get(scale_word, 1.0)
        elif m.group("wnum") is not None:
            number_text = text[m.start("wnum") : m.end("wscale")]
            maybe = _word_value(number_text)
            if maybe is None:
                continue
            value = maybe
        else:
            maybe = _word_value(m.group("wnum_only"))
            if maybe is None or (
                m.group("wnum_only").lower() in ("a", "one") and not (m.group("cur") or m.group("pct"))
            ):
                continue
            value = maybe
        end = m.end()
        unit_word = (m.group("unitw") or "").lower()
        cur = m.group("cur")
        kind = "number"
        unit: str | None = None
        if cur:
            kind, unit = "money", _CURRENCY_SYMBOLS.get(cur.upper(), "USD")
        elif unit_word in _CURRENCY_WORDS:
            kind, unit = "money", _CURRENCY_WORDS[unit_word]
        if m.group("pct"):
            kind, unit = "percent", "%"
        elif unit_word in _UNIT_WORDS and kind == "number":
            kind, unit = "quantity", _UNIT_WORDS[unit_word]
        if not (
            kind in ("money", "quantity") and unit_word and (unit_word in _CURRENCY_WORDS or unit_word in _UNIT_WORDS)
        ):
            end = m.end("pct") if m.group("pct") else (m.end("range") if m.group("range") else _number_end(m))
            if dropped_scale and not m.group("pct") and not m.group("range"):
                end = m.end("num")
        comparator = _comparator(m.group("cmp"))
        low, high = _bounds(value, comparator)
        number: float | None = value
        if m.group("range"):
            second = _digits(m.group("num2"))
            second *= _SCALES.get((m.group("scale2") or scale_word or "").lower(), 1.0)
            if second > value:
                low, high, number, comparator = value, second, None, "~"
            else:
                end = _number_end(m)
        start = m.start("cmp") if m.group("cmp") else (m.start("cur") if cur else _number_start(m))
        if number is None and text[:start].lower().endswith("between "):
            start -= len("between ")
        span_text = text[start:end]
        # A bare four-digit year is a date, dealt with by the date patterns.
        if kind == "number" and not m.group("cmp") and re.fullmatch(r"(?:1[89]|20)\d\d", span_text):
            continue
        found.append(
            Quantity(
                start=start,
                end=end,
                text=span_text,
                kind=kind,
                value=number,
                low=low,
                high=high,
                unit=unit,
                comparator=comparator,
            )
        )
    return found


def _number_start(m: re.Match[str]) -> int:
    for group in ("num", "wnum", "wnum_only"):
        if m.group(group) is not None:
            return m.start(group)
    return m.start()


def _number_end(m: re.Match[str]) -> int:
    if m.group("num") is not None:
        return m.end("scale") if m.group("scale") else m.end("num")
    if m.group("wnum") is not None:
        return m.end("wscale")
    return m.end("wnum_only")


def _dates(text: str) -> list[Quantity]:
    found = []
    for pattern in _DATE_RES:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            year = groups.get("y")
            month_name = groups.get("mon")
            if groups.get("m"):
                month: int | None = int(groups["m"])
            elif month_name:
                month = _MONTHS.get(month_name.lower().rstrip("."))
            else:
                month = None
            day = int(groups["d"]) if groups.get("d") else None
            if month_name and month_name.lower() == "may" and day is None and year is None:
                continue
            start = m.start("mon") if month_name and (day is None or m.start("mon") < m.start("d")) else m.start()
            if groups.get("d") and m.start("d") < start:
                start = m.start("d")
            if not month_name and "m" not in groups and year:
                start = m.start("y")
            end = m.end()
            iso = None
            if year and month and day:
                iso = f"{year}-{month:02d}-{day:02d}"
            elif year and month:
                iso = f"{year}-{month:02d}"
            elif year:
                iso = year + ("s" if groups.get("s") else "")
            elif month and day:
                iso = f"--{month:02d}-{day:02d}"
            value = float(year) if year else None
            found.append(
                Quantity(
                    start=start,
                    end=end,
                    text=text[start:end],
                    kind="date",
                    value=value,
                    low=value,
                    high=value + 9 if groups.get("s") and value else value,
                    unit=None,
                    comparator="=",
                    date=iso,
                )
            )
    return found


def _vague(text: str) -> list[Quantity]:
    found = []
    for m in _VAGUE_RE.finditer(text):
        floor = float(_VAGUE[re.sub(r"\s+", " ", m.group("v").lower())])
        start = m.start()
        found.append(
            Quantity(
                start=start,
                end=m.end(),
                text=text[start : m.end()],
                kind="number",
                value=None,
                low=floor,
                high=None,
                comparator=">=",
            )
        )
    for m in _FRACTION_RE.finditer(text):
        fraction = _FRACTIONS[re.sub(r"\s+", " ", m.group("f").lower())]
        comparator = _comparator(m.group("cmp"))
        low, high = _bounds(fraction, comparator)
        unit = None if fraction >= 1 else "fraction"
        found.append(
            Quantity(
                start=m.start(),
                end=m.end(),
                text=m.group(0),
                kind="number",
                value=fraction,
                low=low,
                high=high,
                unit=unit,
                comparator=comparator,
            )
        )
    for m in _ORDINAL_RE.finditer(text):
        ordinal = float(m.group("n"))
        found.append(
            Quantity(
                start=m.start(),
                end=m.end(),
                text=m.group(0),
                kind="ordinal",
                value=ordinal,
                low=ordinal,
                high=ordinal,
            )
        )
    return found


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Quantities in `text`, in order, not overlapping; offsets shifted by `offset` (the text's start in a document).

    Dates win over numbers that overlap them; then the longer match wins.
    """
    has_digit = any(c.isdigit() for c in text)
    if not has_digit and not _NUMBER_WORD_RE.search(text):
        return []
    candidates = [(0, f) for f in _dates(text)] if has_digit else []
    candidates += [(1, f) for f in _amounts(text)] + [(1, f) for f in _vague(text)]
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
