"""Date expressions, resolved against an anchor (the publication date), each with its precision.

Absolute dates need no anchor, except for the year when it is left out ("on September 16": the occurrence
nearest the anchor, not after it by more than a week). Counts ("four days ago", "a few weeks ago") are read by
`unspin.text.numbers`; a vague count takes its typical figure ("a few" -> 3).

Conventions (documented in BENCHMARKS.md and tested in `tests/fixtures/dates.jsonl`):
- day: "September 16 2016", "16 Sept", "yesterday", "overnight" (the night before: the day before the anchor),
  "four days ago", "on Tuesday" (in a past-tense sentence the latest Tuesday on or
  before the anchor), "last Tuesday" (the one before that when the anchor is a Tuesday).
- month: "September 2015", "in January" (in a past-tense sentence the latest January begun by the anchor), "last month",
  "three months ago".
- year: "in 2014", "last year", "two years ago"; never a road, flight or article number ("Route 1950") nor a
  count ("2015 fighters").
- decades and centuries, as ranges: "the 1990s", "the early 2000s", "the '80s", "the 19th century" (1800-1899).
- without a year or week ("on Feb. 9", "in October", "on Tuesday"), by the tense of the sentence (`tense_of`):
  past -> the latest occurrence begun by the anchor, future -> the first one not over, unknown -> the nearest.
- range (value .. end_value inclusive): "early/mid/late January" (1-10, 11-20, 21-end), "since September
  2015" (its start .. the anchor), "between 3 and 5 March", "last week" (Monday-Sunday), "the past three
  days", "earlier this month", "N weeks ago" (that day ± 3), "last summer" (northern seasons).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from unspin.analysis import DateMention
from unspin.text import numbers

Precision = str

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

# Month names are matched case-sensitively (capitalised) so that "may" the verb is not a month.
M = (
    r"(?P<{g}>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)(?![a-z])"
)
D = r"(?P<{g}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
Y = r"(?P<{g}>1[89]\d\d|20\d\d)(?![\d%])"
WD = r"(?:(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
# counts of days, weeks ...: digits, number words, "a", and the small vague amounts ("a few days ago": their typical)
_SMALL_VAGUE = ("a couple of", "a few", "several", "a handful of")
NUM = (
    r"(?P<n>\d{1,3}|(?i:"
    + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in _SMALL_VAGUE)
    + rf"|{numbers.WORD_NUMBER}|an?\b))"
)
UNIT = r"(?P<unit>(?i:days?|weeks?|months?|years?|hours?))\b"  # not "the last week" of "the last weekend"
# "nearly five years ago" is a little less than five years back, "more than five years ago" a little more
APPROXIMATELY = r"(?:(?P<approx>(?i:nearly|almost|just under|more than|over|just over))\s+)?"
_LESS = ("nearly", "almost", "just under")
PART = r"(?P<part>(?i:early|mid|late|the end of|the beginning of|the start of|the middle of|end of|beginning of|start of|middle of)[\s-]?)"


def _m(g: str) -> str:
    return M.format(g=g)


def _d(g: str) -> str:
    return D.format(g=g)


def _y(g: str) -> str:
    return Y.format(g=g)


@dataclass(frozen=True)
class Resolved:
    start: dt.date | None
    end: dt.date | None
    precision: str
    relative: bool = False


Tense = Literal["past", "future", "unknown"]
Handler = Callable[[re.Match[str], dt.date | None, Tense], Resolved | None]


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month(token: str) -> int:
    return MONTHS[token.rstrip(".").lower()]


def _number(token: str) -> int:
    """How many units a count names: '3', 'three', 'twenty-one', 'a' (1), 'a few' (its typical figure, 3)."""
    token = re.sub(r"\s+", " ", token.lower().strip())
    if token in ("a", "an"):
        return 1
    vague = numbers.vague_amount(token)
    value = vague.typical if vague else numbers.parse_number(token)
    if value is None:
        raise ValueError(f"not a count: {token!r}")
    return int(value)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int | None, anchor: dt.date | None, tense: Tense) -> int | None:
    """The year a reader gives a date stated without one ("on Feb. 9", "in October"), from the anchor and the
    tense of its sentence: a past event the latest occurrence begun by the anchor, an upcoming one the first not
    yet over, and when the tense says nothing the nearest occurrence (ties go to the past)."""
    if anchor is None:
        return None

    def span(year: int) -> tuple[dt.date, dt.date]:
        first = _safe_date(year, month, day) if day else None
        if first is not None:
            return first, first
        return dt.date(year, month, 1), month_end(year, month)

    years = (anchor.year - 1, anchor.year, anchor.year + 1)
    if tense == "past":
        return max(y for y in years if span(y)[0] <= anchor)
    if tense == "future":
        return min(y for y in years if span(y)[1] >= anchor)

    def distance(year: int) -> tuple[int, int]:
        first, last = span(year)
        days = 0 if first <= anchor <= last else min(abs((first - anchor).days), abs((last - anchor).days))
        return days, 0 if first <= anchor else 1

    return min(years, key=distance)


def _part_range(part: str | None, year: int, month: int) -> tuple[dt.date, dt.date, str]:
    if not part:
        return dt.date(year, month, 1), month_end(year, month), "month"
    p = part.lower().strip(" -")
    last = month_end(year, month).day
    if p in {"early", "the beginning of", "the start of", "beginning of", "start of"}:
        return dt.date(year, month, 1), dt.date(year, month, 10), "range"
    if p in {"mid", "the middle of", "middle of"}:
        return dt.date(year, month, 11), dt.date(year, month, 20), "range"
    return dt.date(year, month, 21), dt.date(year, month, last), "range"  # late, the end of


# --- handlers -------------------------------------------------------------------------------------


def h_iso(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    d = _safe_date(int(m["y"]), int(m["mo"]), int(m["d"]))
    return Resolved(d, d, "day") if d else None


def h_day_month_year(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    month = _month(m["m"])
    day = int(m["d"])
    year = int(m["y"]) if m["y"] else _year_for(month, day, anchor, tense)
    if year is None:
        return None
    d = _safe_date(year, month, day)
    return Resolved(d, d, "day", relative=not m["y"]) if d else None


def h_day_range(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    m1 = _month(m["m1"]) if m["m1"] else _month(m["m2"])
    m2 = _month(m["m2"])
    year2 = int(m["y"]) if m["y"] else _year_for(m2, int(m["d2"]), anchor, tense)
    if year2 is None:
        return None
    year1 = year2 - 1 if m1 > m2 else year2
    a, b = _safe_date(year1, m1, int(m["d1"])), _safe_date(year2, m2, int(m["d2"]))
    if a is None or b is None or a > b:
        return None
    return Resolved(a, b, "range", relative=not m["y"])


def h_month_day_range(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    month = _month(m["m1"])
    m2 = _month(m["m2"]) if m["m2"] else month
    year = int(m["y"]) if m["y"] else _year_for(m2, int(m["d2"]), anchor, tense)
    if year is None:
        return None
    a, b = _safe_date(year, month, int(m["d1"])), _safe_date(year, m2, int(m["d2"]))
    if a is None or b is None or a > b:
        return None
    return Resolved(a, b, "range", relative=not m["y"])


def h_since(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    groups = m.groupdict()
    if m["y"] and not groups.get("m"):
        start = dt.date(int(m["y"]), 1, 1)
    else:
        month = _month(m["m"])
        day = int(groups["d"]) if groups.get("d") else None
        year = int(m["y"]) if m["y"] else _year_for(month, day, anchor, "past")
        if year is None:
            return None
        start = _safe_date(year, month, day or 1)  # type: ignore[assignment]
        if start is None:
            return None
    return Resolved(start, anchor, "range", relative=anchor is not None and not m["y"])


def h_month_to_month(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    m1, m2 = _month(m["m1"]), _month(m["m2"])
    year2 = int(m["y"]) if m["y"] else _year_for(m2, None, anchor, tense)
    if year2 is None:
        return None
    year1 = int(m["y1"]) if m["y1"] else (year2 - 1 if m1 > m2 else year2)
    return Resolved(dt.date(year1, m1, 1), month_end(year2, m2), "range", relative=not m["y"])


def h_year_range(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    a, b = int(m["y1"]), int(m["y2"])
    if b < a:
        return None
    return Resolved(dt.date(a, 1, 1), dt.date(b, 12, 31), "range")


def h_short_year_range(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    """'1996-98', 'the 2019-20 season': the second year written with its last two digits."""
    a = int(m["y1"])
    b = a - a % 100 + int(m["yy"])
    if not a < b <= a + 20:
        return None
    return Resolved(dt.date(a, 1, 1), dt.date(b, 12, 31), "range")


def h_half_year(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    """'the first half of 2020', 'the second half of next year'."""
    if m["y"]:
        year = int(m["y"])
    elif anchor is not None:
        year = anchor.year + {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    else:
        return None
    if m["half"].lower() == "first":
        return Resolved(dt.date(year, 1, 1), dt.date(year, 6, 30), "range", relative=not m["y"])
    return Resolved(dt.date(year, 7, 1), dt.date(year, 12, 31), "range", relative=not m["y"])


# "May" alone is as often the surname (Theresa May, "May's government", "Mrs May said") as the month: alone it is
# the month only after a word that takes a time ("in May", "since May", "last May", "early May").
_MONTH_MAY_CUE = re.compile(
    r"\b(?:in|on|since|by|until|till|through|throughout|from|to|during|of|last|next|this|early|mid|late|end|"
    r"before|after|between|each|every)[\s-]+$",
    re.IGNORECASE,
)


_MAY_POSSESSIVE_OF_MONTH = re.compile(
    r"['’]s\s+(?:local\s+|general\s+|european\s+)?(?:elections?|vote|polls?|figures|data|report|meeting|summit|"
    r"sales|issue|edition|deadline|total)\b",
    re.IGNORECASE,
)
_MAY_OF_YEAR = re.compile(r"\s+of\s+(?:this|last|next|that)\s+year\b", re.IGNORECASE)


def h_month_year(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    month = _month(m["m"])
    year = int(m["y"]) if m["y"] else None
    if year is None and m["m"] == "May" and not m["part"] and not m["rel"]:
        possessive = m.string.startswith(("'s", "’s"), m.end("m"))
        if possessive and not _MAY_POSSESSIVE_OF_MONTH.match(m.string, m.end("m")):
            return None  # "of May's cabinet": the prime minister's
        if not (
            _MONTH_MAY_CUE.search(m.string, max(0, m.start("m") - 12), m.start("m"))
            or _MAY_OF_YEAR.match(m.string, m.end("m"))
            or possessive
        ):
            return None
    if year is None:
        if m["rel"]:
            if anchor is None:
                return None
            rel = m["rel"].lower()
            if rel == "last":
                year = anchor.year if month < anchor.month else anchor.year - 1
            elif rel == "next":
                year = anchor.year if month > anchor.month else anchor.year + 1
            else:
                year = anchor.year
        else:
            year = _year_for(month, None, anchor, tense)
        if year is None:
            return None
    a, b, precision = _part_range(m["part"], year, month)
    return Resolved(a, b, precision, relative=not m["y"])


# A four-digit number that names a road, a flight or an article, or counts things, is no year.
_NOT_A_YEAR_BEFORE = re.compile(
    r"\b(?:route|highway|road|interstate|flight|article|resolution|room|no\.|number|boeing|airbus|chapter|section|"
    r"platform|gate|exit|bus|line|code|pin|page|paragraph|clause|ward|unit|lot|plot|block)\s*$",
    re.IGNORECASE,
)
_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:people|per|%|km|troops|fighters|civilians|dollars|euros|pounds|soldiers|votes|cases|homes|houses|"
    r"families|children|students|patients|deaths|dead|refugees|migrants|workers|residents|jobs|cars|vehicles|"
    r"tonnes|tons|barrels|miles|metres|meters|feet|acres|hectares|members|officers|police|prisoners|protesters|"
    r"delegates|seats|units|times|rounds|shells|rockets|missiles|drones|tanks|buildings|injured|wounded|killed)\b",
    re.IGNORECASE,
)


def h_year(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    if _NOT_A_YEAR_BEFORE.search(m.string, max(0, m.start("y") - 30), m.start("y")) or _NOT_A_YEAR_AFTER.match(
        m.string, m.end("y")
    ):
        return None
    year = int(m["y"])
    part = (m["part"] or "").lower().strip(" -")
    if part in {"early", "the beginning of", "the start of", "beginning of", "start of"}:
        return Resolved(dt.date(year, 1, 1), dt.date(year, 4, 30), "range")
    if part in {"mid", "the middle of", "middle of"}:
        return Resolved(dt.date(year, 5, 1), dt.date(year, 8, 31), "range")
    if part:
        return Resolved(dt.date(year, 9, 1), dt.date(year, 12, 31), "range")
    return Resolved(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _part_of_span(part: str | None, first: int, length: int) -> tuple[int, int]:
    """Years `first`..`first + length - 1`, or their early (first 30%), mid (middle 40%) or late (last 30%) part."""
    p = (part or "").lower().strip(" -")
    cut = round(length * 0.3)
    if p == "early":
        return first, first + cut - 1
    if p == "mid":
        return first + cut, first + length - cut - 1
    if p == "late":
        return first + length - cut, first + length - 1
    return first, first + length - 1


def h_decade(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    """'the 1990s', 'the early 2000s', "the '80s" ('00s and '10s are this century's, '20s to '90s the last),
    'the 1800s' (a century)."""
    # "the 1300s", "the early 1900s": a round hundred names its century (the 2000s is this century's first decade)
    length = 10
    if m["y"]:
        first = int(m["y"])
        length = 100 if first % 100 == 0 and first != 2000 else 10
    else:
        short = int(m["yy"])
        first = 2000 + short if short < 20 else 1900 + short
    a, b = _part_of_span(m["part"] or m["part2"], first, length)
    return Resolved(dt.date(a, 1, 1), dt.date(b, 12, 31), "range")


def h_century(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    """'the 19th century' -> 1800..1899 (as readers count it), 'the late 20th century' -> 1970..1999,
    'fifteenth-century' -> 1400..1499."""
    century = numbers.parse_ordinal(m["c"])
    if century is None or not 1 <= century <= 21:
        return None
    a, b = _part_of_span(m["part"] or m["part2"], (century - 1) * 100, 100)
    return Resolved(dt.date(max(a, 1), 1, 1), dt.date(b, 12, 31), "range")


_FINAL_ONE_OF = re.compile(r"\bthe\s+$", re.IGNORECASE)


def h_simple_relative(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    if _FINAL_ONE_OF.search(m.string, max(0, m.start() - 8), m.start()) and m.string.startswith(" of ", m.end()):
        return None  # "the last weekend of the festival": the final one of something, not the one just gone
    if anchor is None:
        return None
    word = re.sub(r"\s+", " ", m.group(0).lower())
    if word in {
        "yesterday",
        "last night",
        "yesterday morning",
        "yesterday afternoon",
        "yesterday evening",
        "overnight",
    }:
        d = anchor - dt.timedelta(days=1)
        return Resolved(d, d, "day", True)
    if word in {"tomorrow"}:
        d = anchor + dt.timedelta(days=1)
        return Resolved(d, d, "day", True)
    if word.startswith("the day before yesterday"):
        d = anchor - dt.timedelta(days=2)
        return Resolved(d, d, "day", True)
    if word in {"today", "tonight", "this morning", "this afternoon", "this evening", "earlier today"}:
        return Resolved(anchor, anchor, "day", True)
    monday = anchor - dt.timedelta(days=anchor.weekday())
    if word == "last week":
        return Resolved(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "range", True)
    if word == "this week":  # the calendar week, Monday to Sunday, as readers (and every annotator here) take it
        return Resolved(monday, monday + dt.timedelta(days=6), "range", True)
    if word == "earlier this week":
        return Resolved(monday, max(monday, anchor - dt.timedelta(days=1)), "range", True)
    if word == "next week":
        return Resolved(monday + dt.timedelta(days=7), monday + dt.timedelta(days=13), "range", True)
    if word in {"last weekend", "this weekend", "over the weekend", "the weekend"}:
        saturday = monday - dt.timedelta(days=2)
        return Resolved(saturday, saturday + dt.timedelta(days=1), "range", True)
    if word == "last month":
        y, mo = add_months(anchor.year, anchor.month, -1)
        return Resolved(dt.date(y, mo, 1), month_end(y, mo), "month", True)
    if word == "this month":
        return Resolved(dt.date(anchor.year, anchor.month, 1), month_end(anchor.year, anchor.month), "month", True)
    if word == "next month":
        y, mo = add_months(anchor.year, anchor.month, 1)
        return Resolved(dt.date(y, mo, 1), month_end(y, mo), "month", True)
    if word == "earlier this month":
        first = dt.date(anchor.year, anchor.month, 1)
        return Resolved(first, max(first, anchor - dt.timedelta(days=1)), "range", True)
    if word.endswith(("of the year", "of this year")) or "so far" in word:  # since the start of the year
        return Resolved(dt.date(anchor.year, 1, 1), anchor, "range", True)
    if word == "earlier this year":
        first = dt.date(anchor.year, 1, 1)
        return Resolved(first, max(first, anchor - dt.timedelta(days=1)), "range", True)
    for prefix, delta in (("last year", -1), ("this year", 0), ("next year", 1)):
        if word == prefix:
            y = anchor.year + delta
            return Resolved(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", True)
    return None


def h_ago(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    if anchor is None:
        return None
    n = _number(m["n"])
    unit = m["unit"].lower().rstrip("s")
    if unit == "hour":
        return Resolved(anchor, anchor, "day", True) if n < 24 else None
    if unit == "day":
        d = anchor - dt.timedelta(days=n)
        return Resolved(d, d, "day", True)
    if unit == "week":
        d = anchor - dt.timedelta(days=7 * n)
        return Resolved(d - dt.timedelta(days=3), d + dt.timedelta(days=3), "range", True)
    if unit == "month":
        y, mo = add_months(anchor.year, anchor.month, -n)
        return Resolved(dt.date(y, mo, 1), month_end(y, mo), "month", True)
    y = anchor.year - n
    approx = (m["approx"] or "").lower()
    if approx:
        # the year holding most of the stretch: "nearly five years ago" on 20 November 2019 is Nov 2014-Nov 2015
        months = anchor.year * 12 + anchor.month - 1 - 12 * n + (6 if approx in _LESS else -6)
        y = months // 12
        return Resolved(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", True)
    if n == 1:  # "a year ago": the same month last year, as a reader dates it
        return Resolved(dt.date(y, anchor.month, 1), month_end(y, anchor.month), "month", True)
    return Resolved(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", True)


def h_past(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    """'the past three days', 'the last two weeks', 'the past 24 hours', 'the past week'."""
    if not m["n"] and "last" in m.group(0).lower() and m.string.startswith(" of ", m.end()):
        return None  # "the last week of March": the final week of something, not the week before publication
    if anchor is None:
        return None
    n = _number(m["n"]) if m["n"] else 1
    unit = m["unit"].lower().rstrip("s")
    if unit == "month":  # calendar months: "the past two months" on 20 November runs from 20 September
        y, mo = add_months(anchor.year, anchor.month, -n)
        return Resolved(_safe_date(y, mo, anchor.day) or dt.date(y, mo, month_end(y, mo).day), anchor, "range", True)
    if unit == "year":  # calendar years: "the past six years" on 9 April 2018 runs from 9 April 2012
        return Resolved(
            _safe_date(anchor.year - n, anchor.month, anchor.day) or dt.date(anchor.year - n, 2, 28),
            anchor,
            "range",
            True,
        )
    days = {"hour": max(1, n // 24), "day": n, "week": 7 * n, "month": 30 * n}[unit]
    return Resolved(anchor - dt.timedelta(days=days), anchor, "range", True)


def h_weekday(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    """'last Tuesday', 'next Tuesday'; a bare 'Tuesday' by tense: the latest one (the anchor's day included) for a
    past event, the next one for an upcoming event, else the nearer of the two."""
    if anchor is None:
        return None
    wd = WEEKDAYS[m["wd"].lower()]
    rel = (m["rel"] or "").lower()
    back = (anchor.weekday() - wd) % 7
    fwd = (wd - anchor.weekday()) % 7 or 7
    if rel == "last" and back == 0:
        back = 7
    if tense == "future" and back == 0 and not rel:
        return Resolved(anchor, anchor, "day", True)  # "is set to begin on Wednesday", written that Wednesday
    forward = rel == "next" or (
        rel not in ("last", "this") and (tense == "future" or (tense == "unknown" and back != 0 and fwd < back))
    )
    d = anchor + dt.timedelta(days=fwd) if forward else anchor - dt.timedelta(days=back)
    return Resolved(d, d, "day", True)


def h_season(m: re.Match[str], anchor: dt.date | None, tense: Tense) -> Resolved | None:
    first, last = SEASONS[m["season"].lower()]
    groups = m.groupdict()
    if groups.get("y"):
        year = int(groups["y"])
    elif anchor is None:
        return None
    else:
        rel = (groups.get("rel") or "this").lower()
        year = anchor.year
        if rel == "last":  # the latest such season over before the anchor
            year = anchor.year
            while month_end(year + (1 if first > last else 0), last) >= anchor:
                year -= 1
        elif rel == "next":
            year = anchor.year if dt.date(anchor.year, first, 1) > anchor else anchor.year + 1
    end_year = year + 1 if first > last else year
    return Resolved(dt.date(year, first, 1), month_end(end_year, last), "range", relative=not groups.get("y"))


_I = "(?i:{})"
PATTERNS: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b"), h_iso),
    # "2018.04.05", year first with dots (East Asian and some European pages); never a version number's
    # "1.2.3", for the year must look like one
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)\.(?P<mo>0[1-9]|1[0-2])\.(?P<d>[0-2]\d|3[01])\b(?!\.\d)"), h_iso),
    # ranges first: "between 3 and 5 March 2016", "from 3 to 5 March", "3-5 March"
    (
        re.compile(
            r"\b(?:(?i:between|from)\s+)?"
            + _d("d1")
            + r"(?:\s+"
            + _m("m1")
            + r")?\s*(?:-|–|(?i:and|to|until))\s*"
            + _d("d2")
            + r"\s+"
            + _m("m2")
            + r"(?:,?\s+"
            + _y("y")
            + r")?"
        ),
        h_day_range,
    ),
    (
        re.compile(
            r"\b(?:(?i:between|from)\s+)?"
            + _m("m1")
            + r"\s+"
            + _d("d1")
            + r"\s*(?:-|–|(?i:and|to|until))\s*"
            + r"(?:"
            + _m("m2")
            + r"\s+)?"
            + _d("d2")
            + r"(?:,?\s+"
            + _y("y")
            + r")?"
        ),
        h_month_day_range,
    ),
    (
        re.compile(
            r"\b(?i:since)\s+"
            + WD
            + r"(?:(?i:the)\s+)?"
            + _d("d")
            + r"\s+(?:(?i:of)\s+)?"
            + _m("m")
            + r"(?:,?\s+"
            + _y("y")
            + r")?"
        ),
        h_since,
    ),
    (re.compile(r"\b(?i:since)\s+" + WD + _m("m") + r"\s+" + _d("d") + r"(?:,?\s+" + _y("y") + r")?"), h_since),
    (re.compile(r"\b(?i:since)\s+(?:(?i:early|mid|late)[\s-]?)?" + _m("m") + r"(?:,?\s+" + _y("y") + r")?"), h_since),
    (re.compile(r"\b(?i:since)\s+" + _y("y")), h_since),
    (
        re.compile(
            r"\b(?:(?i:between|from)\s+)?"
            + _m("m1")
            + r"(?:\s+"
            + _y("y1")
            + r")?\s+(?i:and|to|until)\s+"
            + _m("m2")
            + r"(?:,?\s+"
            + _y("y")
            + r")?"
        ),
        h_month_to_month,
    ),
    (re.compile(r"\b(?i:between|from)\s+" + _y("y1") + r"\s+(?i:and|to|until)\s+" + _y("y2")), h_year_range),
    (re.compile(r"\b" + _y("y1") + r"\s*[-–]\s*" + r"(?P<y2>(?:19|20)\d\d)\b"), h_year_range),
    (re.compile(r"\b" + _y("y1") + r"\s+(?i:through|thru)\s+" + _y("y2")), h_year_range),  # "2012 through 2015"
    (re.compile(r"\b" + _y("y1") + r"[-–](?P<yy>\d\d)\b(?![-–/.]?\d)"), h_short_year_range),
    (
        re.compile(
            r"\b(?i:the\s+)?(?P<half>(?i:first|second|latter))\s+(?i:half)\s+(?i:of)\s+"
            r"(?:" + _y("y") + r"|(?P<rel>(?i:last|this|next))\s+(?i:year))"
        ),
        h_half_year,
    ),
    # full dates
    (re.compile(r"\b" + WD + _m("m") + r"\s+" + _d("d") + r"(?:,?\s+" + _y("y") + r")?"), h_day_month_year),
    (
        re.compile(
            r"\b" + WD + r"(?:(?i:the)\s+)?" + _d("d") + r"\s+(?:(?i:of)\s+)?" + _m("m") + r"(?:,?\s+" + _y("y") + r")?"
        ),
        h_day_month_year,
    ),
    # months
    (
        re.compile(
            r"(?:\b"
            + PART
            + r")?\b(?:(?P<rel>(?i:last|next|this))\s+)?"
            + _m("m")
            + r"(?:,?\s+(?:(?i:of)\s+)?"
            + _y("y")
            + r")?"  # "October 2006", "October of 2006"
        ),
        h_month_year,
    ),
    (re.compile(r"\b(?P<season>(?i:spring|summer|autumn|fall|winter))\s+(?:(?i:of\s+))?" + _y("y")), h_season),
    (re.compile(r"\b(?P<rel>(?i:last|this|next))\s+(?P<season>(?i:spring|summer|autumn|fall|winter))\b"), h_season),
    # decades and centuries; the lookarounds first let most positions fail at one character test
    (
        re.compile(
            r"(?<![\w'’])(?=[EeMmLlTt'’12])(?:(?P<part>(?i:early|mid|late))[\s-]+)?(?:(?i:the)\s+)?"
            r"(?:(?P<part2>(?i:early|mid|late))[\s-]+)?(?:\b(?P<y>1\d\d0|20\d0)|(?<!\w)['’](?P<yy>\d0))s\b"
        ),
        h_decade,
    ),
    (
        re.compile(
            r"(?<![\w'’])(?=[EeMmLlTtFfSsNn1-9])(?:(?P<part>(?i:early|mid|late))[\s-]+)?(?:(?i:the)\s+)?"
            r"(?:(?P<part2>(?i:early|mid|late))[\s-]+)?\b(?P<c>(?:[1-9]|1\d|2[01])(?:st|nd|rd|th)|(?i:"
            + numbers.ORDINAL_WORD
            + r"))[\s-]+(?i:century)\b"
        ),
        h_century,
    ),
    (
        re.compile(
            r"\b(?:" + PART + r")?(?<![\d,.$£€])" + r"(?P<y>(?:19|20)\d\d)(?![\d%,.]\d)(?!\s*(?:people|per|%|km|troops|"
            r"fighters|civilians|dollars|soldiers))"
        ),
        h_year,
    ),
    # any year after "the year" ("in the year 718"): the words say it is one
    (re.compile(r"\b(?i:the\s+year)\s+(?P<part>)(?P<y>[1-9]\d{2,3})\b(?![\d%,.]\d)"), h_year),
    # an older year only after a preposition of time ("born in 1889"): a bare 1700 is more often a count
    (re.compile(r"\b(?i:in|since|until|by)\s+(?P<part>)(?P<y>1[5-8]\d\d)\b(?![\d%,.]\d)"), h_year),
    (re.compile(r"\b" + APPROXIMATELY + NUM + r"\s+" + UNIT + r"\s+(?i:ago|earlier|before)\b"), h_ago),
    (re.compile(r"\b(?i:the\s+(?:past|last|previous))\s+(?:" + NUM + r"\s+)?" + UNIT), h_past),
    (
        re.compile(
            r"\b(?i:the day before yesterday|yesterday(?:\s+(?:morning|afternoon|evening))?|last night|"
            r"earlier today|today|tonight|tomorrow|overnight|this (?:morning|afternoon|evening)|earlier this (?:week|month|year)|"
            r"(?:last|this|next) (?:week|month|year)|last weekend|this weekend|over the weekend|"
            r"(?:since )?the (?:start|beginning) of (?:the|this) year|so far this year|this year so far)\b"
        ),
        h_simple_relative,
    ),
    (
        re.compile(
            r"\b(?:(?P<rel>(?i:last|next|this|on))\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
            r"Sunday)(?:\s+(?:morning|afternoon|evening|night))?\b"
        ),
        h_weekday,
    ),
]


# Words without which a pattern cannot match: one quick scan of the text spares running the whole pattern.
_NEEDS: dict[Handler, re.Pattern[str]] = {
    h_decade: re.compile(r"0s\b"),
    h_century: re.compile(r"century", re.IGNORECASE),
    h_ago: re.compile(r"\b(?:ago|earlier|before)\b", re.IGNORECASE),
    h_past: re.compile(r"\b(?:past|last|previous)\b", re.IGNORECASE),
    h_season: re.compile(r"\b(?:spring|summer|autumn|fall|winter)\b", re.IGNORECASE),
    h_year_range: re.compile(r"\d{4}\D+\d{4}|\d{4}\s*[-–]\s*\d{4}"),
    h_short_year_range: re.compile(r"\d{4}[-–]\d\d\b"),
    h_half_year: re.compile(r"\bhalf\b", re.IGNORECASE),
}


def _strip_lead(text: str, start: int, end: int) -> tuple[int, int]:
    """Keep 'on'/'in' out of the span, keep 'since'/'between'/'last'."""
    span = text[start:end]
    for lead in ("on ", "On "):
        if span.startswith(lead):
            return start + len(lead), end
    stripped = span.rstrip(" ,")
    return start, start + len(stripped)


TenseOf = Callable[[int, int], Tense]


def resolve_dates(
    text: str, anchor: dt.date | None, inferred: bool = False, tense_of: TenseOf | None = None
) -> list[DateMention]:
    """Every time expression in `text`, leftmost-longest, resolved against `anchor`.

    `tense_of(start, end)` says whether the expression at text[start:end] dates a past or an upcoming event
    (the dates detector reads it from the parse); without it every expression is of unknown tense."""
    spans: list[tuple[int, int, Resolved]] = []
    taken = [False] * (len(text) + 1)
    story_years: _StoryYears | None = None
    for pattern, handler in PATTERNS:
        needs = _NEEDS.get(handler)
        if needs is not None and not needs.search(text):
            continue
        for m in pattern.finditer(text):
            start, end = _strip_lead(text, m.start(), m.end())
            if end <= start or any(taken[start:end]):
                continue
            tense: Tense = tense_of(start, end) if tense_of else "unknown"
            try:
                resolved = handler(m, anchor, tense)
                if handler is h_day_month_year and not m["y"] and tense == "unknown":
                    resolved = _in_the_year_in_view(text, start, m, anchor, resolved)
                if handler is h_day_month_year and not m["y"] and anchor is None:
                    story_years = story_years or _StoryYears(text)
                    resolved = story_years.resolve(start, m)
            except (KeyError, ValueError, OverflowError):
                resolved = None
            if resolved is None:
                continue
            for i in range(start, end):
                taken[i] = True
            spans.append((start, end, resolved))
    spans.extend(_narrative_dates(text, spans, taken))
    mentions = []
    for start, end, r in sorted(spans, key=lambda s: s[0]):
        mentions.append(
            DateMention(
                start=start,
                end=end,
                text=text[start:end],
                value=r.start.isoformat() if r.start else None,
                end_value=r.end.isoformat() if r.end else None,
                precision=r.precision,
                inferred=inferred and r.relative,
            )
        )
    return mentions


# Dates counted from the story's own last date, not from the publication day: "On Sept. 2, 2016 ... the next
# day", "two days later", "later that year". Only from a date the text states in full just before (a reader
# holds one in mind for a few sentences), never chained from another relative one.
_NARRATIVE = re.compile(
    r"\b(?:(?P<next>(?i:the\s+(?:next|following)\s+(?:day|morning|afternoon|evening|night)))"
    r"|(?P<n>\d{1,2}|(?i:a|one|two|three|four|five|six|seven|eight|nine|ten))\s+(?P<unit>(?i:days?|months?|years?))"
    r"\s+(?i:later)"
    r"|(?P<that>(?i:later|earlier)\s+that\s+(?P<that_unit>(?i:year|month))))\b"
)
_NARRATIVE_NEEDS = re.compile(r"\b(?:next|following|later)\b", re.IGNORECASE)
_NARRATIVE_REACH = 400  # characters back to the date it counts from: about two sentences


def _narrative_dates(
    text: str, spans: list[tuple[int, int, Resolved]], taken: list[bool]
) -> list[tuple[int, int, Resolved]]:
    if not spans or not _NARRATIVE_NEEDS.search(text):
        return []
    ordered = sorted(spans, key=lambda s: s[0])
    ends = [s[1] for s in ordered]  # spans never overlap, so their ends are in order too
    found = []
    for m in _NARRATIVE.finditer(text):
        if any(taken[m.start() : m.end()]):
            continue
        last = bisect.bisect_right(ends, m.start()) - 1
        if last < 0 or m.start() - ends[last] > _NARRATIVE_REACH or "\n\n" in text[ends[last] : m.start()]:
            continue
        ref = ordered[last][2]  # the date the reader has in mind: the last one, if the text stated it
        if ref.relative or ref.start is None:
            continue
        resolved: Resolved | None = None
        if m["next"]:
            if ref.precision == "day":
                day = ref.start + dt.timedelta(days=1)
                resolved = Resolved(day, day, "day", relative=True)
        elif m["n"]:
            n = 1 if m["n"].lower() in ("a", "one") else _number(m["n"])
            unit = m["unit"].lower().rstrip("s")
            if unit == "day" and ref.precision == "day":
                day = ref.start + dt.timedelta(days=n)
                resolved = Resolved(day, day, "day", relative=True)
            elif unit == "month" and ref.precision in ("day", "month"):
                y, mo = add_months(ref.start.year, ref.start.month, n)
                resolved = Resolved(dt.date(y, mo, 1), month_end(y, mo), "month", relative=True)
            elif unit == "year" and ref.precision in ("day", "month", "year"):
                y = ref.start.year + n
                resolved = Resolved(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", relative=True)
        elif ref.precision in ("day", "month", "year"):
            if m["that_unit"].lower() == "year":
                resolved = Resolved(dt.date(ref.start.year, 1, 1), dt.date(ref.start.year, 12, 31), "year", True)
            elif ref.precision in ("day", "month"):
                y, mo = ref.start.year, ref.start.month
                resolved = Resolved(dt.date(y, mo, 1), month_end(y, mo), "month", relative=True)
        if resolved is not None:
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append((m.start(), m.end(), resolved))
    return found


# A year the text names by itself ("a 2020 tour", "in 2020"), not a decade ("1990s") nor a date's year.
_STANDALONE_YEAR = re.compile(r"(?<![\d,/.-])((?:19|20)\d\d)(?![\d/-]|s\b|’s|'s)")
_YEAR_IN_VIEW_CHARS = 3_000  # how far back a reader still has a named year in mind
_NEAR_DAYS = 60  # a date this close to the publication day needs no named year to be read in its year


def _in_the_year_in_view(
    text: str, start: int, m: re.Match[str], anchor: dt.date | None, resolved: Resolved | None
) -> Resolved | None:
    """A year-less date whose sentence gives no tense ("June 9 - Charlotte, NC" in a tour's schedule) and that
    lies months from the publication day: a reader dates it in the year the text last named, when that year
    is the publication's, the one before or the one after ("a 2020 tour ... June 9" is June 2020)."""
    if anchor is None or resolved is None or resolved.start is None:
        return resolved
    if abs((resolved.start - anchor).days) <= _NEAR_DAYS:
        return resolved
    named = [int(y) for y in _STANDALONE_YEAR.findall(text, max(0, start - _YEAR_IN_VIEW_CHARS), start)]
    in_view = [y for y in named if abs(y - anchor.year) <= 1]
    if not in_view or in_view[-1] == resolved.start.year:
        return resolved
    day = _safe_date(in_view[-1], _month(m["m"]), int(m["d"]))
    return Resolved(day, day, "day", relative=True) if day else resolved


# A text naming a year this much later than its latest full date was written after that date: the date is a
# moment of its story (a history piece's "August 4, 1964"), not the day it was published.
_LATER_YEAR_GAP = 2


class _StoryYears:
    """Where the text states a full date, and its year: found once per text, on the first year-less date that
    needs it (with no publication day), then looked up by position."""

    def __init__(self, text: str) -> None:
        found = sorted((end, day.year) for end, day in _full_dates(text))
        self.ends = [end for end, _ in found]
        self.years = [year for _, year in found]

    def resolve(self, start: int, m: re.Match[str]) -> Resolved | None:
        """With no publication day, a year-less date ("On August 4") is read in the year of the full date the
        text stated just before ("On August 2, 1964, ... On August 4"), as a reader of the story does."""
        last = bisect.bisect_right(self.ends, start) - 1
        if last < 0 or start - self.ends[last] > _YEAR_IN_VIEW_CHARS:
            return None
        day = _safe_date(self.years[last], _month(m["m"]), int(m["d"]))
        # not relative to a publication day: read from the story as a stated date is (a "next day" may follow it)
        return Resolved(day, day, "day") if day else None


def infer_publication(text: str) -> dt.date | None:
    """The latest full date (day, month and year) the text states: usually the dateline or the news day; none when
    the text names a year two or more after it (then that date is the story's, and "today" is unknown)."""
    latest = max(stated_dates(text), default=None)
    if latest is None:
        return None
    if any(int(year) >= latest.year + _LATER_YEAR_GAP for year in _STANDALONE_YEAR.findall(text)):
        return None
    return latest


def stated_dates(text: str) -> set[dt.date]:
    """Every full date (day, month and year) the text states, in any of the forms `resolve_dates` reads."""
    return {day for _, day in _full_dates(text)}


def _full_dates(text: str) -> Iterator[tuple[int, dt.date]]:
    """(where it ends, the day) for every full date the text states."""
    for pattern, handler in PATTERNS:
        if handler not in (h_iso, h_day_month_year):
            continue
        for m in pattern.finditer(text):
            if handler is h_day_month_year and not m["y"]:
                continue
            r = handler(m, None, "unknown")
            if r and r.start:
                yield m.end(), r.start


def iso_label(mention: DateMention) -> str | None:
    """The date as ISO 8601 at its precision: '2024-03-03', '2024-03', '2019', or an interval '1990/1999',
    '2016-03-03/2016-03-05' ('..' for an open end)."""
    if mention.value is None:
        return None
    if mention.precision == "day":
        return mention.value
    if mention.precision == "month":
        return mention.value[:7]
    if mention.precision == "year":
        return mention.value[:4]
    start, end = mention.value, mention.end_value
    if end is None:
        return f"{start}/.."
    if start.endswith("-01-01") and end.endswith("-12-31"):
        return f"{start[:4]}/{end[:4]}"
    return f"{start}/{end}"
