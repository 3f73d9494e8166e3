"""The one reader of numbers: digits, number words, vague amounts and the words that bound them.

Every other parser (quantities, dates, fatality counts) builds on the regex pieces and functions here, so that
one sentence gives one number whoever reads it:

- digits: "1,200", "2 000" (also no-break and thin spaces), "3.5", ".5"; with a scale: "2.5 million", "3bn", "$2m"
- words: "twenty-five", "two hundred and fifty", "a dozen", "two dozen", "a million", "one million two hundred
  thousand"
- vague amounts, ONE table (`VAGUE_AMOUNTS`), each with its agreed low..high and the single figure a reader
  would take when one is needed ("a few days ago" is three days ago)
- modifiers (`MODIFIERS`): "at least N" -> N.. (open), "nearly N" -> 0.8 N..N, "about N" -> 0.8 N..1.2 N,
  "up to N" -> ..N, "fewer than N" -> ..N (strict: N - 1 for a count)

The regex pieces (`DIGITS`, `WORD_NUMBER`, `NUMBER`, `MODIFIER`, `VAGUE`, `RANGE`, `AMOUNT`) hold no named
groups, so a caller can wrap them in its own; `parse_number` and `parse_amount` read what they matched.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Comparator = Literal["=", ">=", "<=", "~"]

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALE_WORDS: dict[str, float] = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# Abbreviated scales as agency and business copy writes them ("$3.4m", "2bn euros", "5k").
SCALE_ABBREVIATIONS: dict[str, float] = {
    "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
# One letter alone may be a unit ("3m" of rope, "5k" run); callers decide when they are scales.
AMBIGUOUS_SCALES = frozenset({"k", "m", "b"})
FRACTIONS: dict[str, float] = {
    "half": 1 / 2, "a half": 1 / 2, "one half": 1 / 2, "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3,
    "a quarter": 1 / 4, "one quarter": 1 / 4, "three quarters": 3 / 4, "a fifth": 1 / 5, "one fifth": 1 / 5,
    "a tenth": 1 / 10, "one in three": 1 / 3, "one in four": 1 / 4, "one in five": 1 / 5, "one in ten": 1 / 10,
}  # fmt: skip


@dataclass(frozen=True)
class VagueAmount:
    """How many a vague word means: `low`..`high` (None: open) and the `typical` figure a reader would take."""

    low: float
    high: float | None
    typical: float


# The one table of vague amounts (events' fatality counts, claims' quantities and relative dates all read it).
# Plurals of a unit start at two of it ("dozens" >= 24) and stay below the next unit.
VAGUE_AMOUNTS: dict[str, VagueAmount] = {
    "a couple of": VagueAmount(2, 3, 2),
    "a few": VagueAmount(2, 5, 3),
    "a handful of": VagueAmount(2, 5, 3),
    "several": VagueAmount(3, 9, 4),
    "many": VagueAmount(2, None, 10),
    "dozens": VagueAmount(24, 99, 36),
    "scores": VagueAmount(40, 99, 60),
    "hundreds": VagueAmount(200, 999, 300),
    "thousands": VagueAmount(2000, 9999, 3000),
    "tens of thousands": VagueAmount(20000, 99999, 30000),
    "hundreds of thousands": VagueAmount(200000, 999999, 300000),
    "millions": VagueAmount(2e6, 999999999, 3e6),
    "billions": VagueAmount(2e9, None, 3e9),
    # "X, if not Y": at least X, and not far into Y
    "dozens if not hundreds": VagueAmount(24, 500, 100),
    "hundreds if not thousands": VagueAmount(200, 5000, 1000),
    "thousands if not tens of thousands": VagueAmount(2000, 50000, 10000),
}


@dataclass(frozen=True)
class Modifier:
    """What a word before a number does to it: the comparator, and the bounds as factors of the number."""

    comparator: Comparator
    low: float | None  # factor of the number; None: open (unknown)
    high: float | None
    strict: bool = False  # "fewer than 10": 10 itself is excluded


_AT_LEAST = Modifier(">=", 1.0, None)
_NEARLY = Modifier("<=", 0.8, 1.0)
_UP_TO = Modifier("<=", None, 1.0)
_BELOW = Modifier("<=", None, 1.0, strict=True)
_ABOUT = Modifier("~", 0.8, 1.2)
MODIFIERS: dict[str, Modifier] = {
    "at least": _AT_LEAST, "more than": _AT_LEAST, "over": _AT_LEAST, "above": _AT_LEAST, "upwards of": _AT_LEAST,
    "in excess of": _AT_LEAST, "exceeding": _AT_LEAST, "no fewer than": _AT_LEAST, "no less than": _AT_LEAST,
    "not less than": _AT_LEAST,
    "nearly": _NEARLY, "almost": _NEARLY, "close to": _NEARLY, "just under": _NEARLY, "just below": _NEARLY,
    "up to": _UP_TO, "as many as": _UP_TO, "as much as": _UP_TO, "at most": _UP_TO, "no more than": _UP_TO,
    "not more than": _UP_TO,
    "fewer than": _BELOW, "less than": _BELOW, "under": _BELOW, "below": _BELOW,
    "about": _ABOUT, "around": _ABOUT, "approximately": _ABOUT, "roughly": _ABOUT, "some": _ABOUT,
    "an estimated": _ABOUT, "estimated": _ABOUT, "circa": _ABOUT, "~": _ABOUT,
}  # fmt: skip


def _alternation(phrases: list[str]) -> str:
    """One regex for a list of phrases, as a trie ('t(?:en|hree|...)'), so that a failing position costs a few
    character tests rather than one per phrase; longer phrases win ('tens of thousands' over 'tens'); a space
    matches any run of blanks."""
    trie: _Trie = {}
    for phrase in phrases:
        node = trie
        for char in phrase.lower():
            node = node.setdefault(char, {})
        node[""] = {}  # a phrase ends here
    return _trie_regex(trie)


_Trie = dict[str, "_Trie"]


def _trie_regex(node: _Trie) -> str:
    branches = [
        (r"\s+" if char == " " else re.escape(char)) + _trie_regex(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


# --- regex pieces (no named groups: wrap them in yours) ------------------------------------------------------------

# Thousands grouped by commas, or by spaces as agency copy writes them ("2 000", no-break and thin spaces too);
# never the tail of a longer number ("12,5" or "3.14").
_GROUP_SPACE = "[ \u00a0\u202f\u2009]"
DIGITS = (
    r"(?<!\d)(?<!\d[,.])"
    rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+(?![\d,.]\d)(?!\d)|\d+(?:\.\d+)?|\.\d+)"
)
SCALE = r"(?:hundred|thousand|million|billion|trillion|mln|bn|mn|tn|trn|k|m|b)\b"
_UNIT_WORD = _alternation(list(UNITS))
_ONE_TO_NINE = _alternation([w for w, v in UNITS.items() if 1 <= v <= 9])
_TEN_WORD = _alternation(list(TENS))
_BIG = r"(?:hundred|thousand|million|billion|trillion|dozen)"
_ATOM = rf"(?:(?:{_TEN_WORD})(?:[\s-]+(?:{_ONE_TO_NINE}))?|(?:{_UNIT_WORD}))"
# "twenty-five", "two hundred and fifty", "a dozen", "one million two hundred thousand"; "a" only before a scale
WORD_NUMBER = (
    rf"\b(?:an?(?=[\s-]+{_BIG})|{_ATOM})(?:(?:[\s-]+{_BIG})+(?:[\s-]+(?:and\s+)?{_ATOM}(?:[\s-]+{_BIG})*)*)?\b(?!-)"
)
# never the head of an ordinal ("101st") or of a longer run of digits
NUMBER = rf"(?:{DIGITS}(?:\s*-?\s*{SCALE})?(?!\d)(?!(?:st|nd|rd|th)\b)|{WORD_NUMBER})"
MODIFIER = rf"(?:\b(?:{_alternation([m for m in MODIFIERS if m != '~'])})\b|~)"


def _vague_pattern() -> str:
    """The vague amounts; 'hundreds if not thousands' also matches 'hundreds, if not thousands,'."""
    either = []
    for phrase in sorted((p for p in VAGUE_AMOUNTS if " if not " in p), key=len, reverse=True):
        first, second = phrase.split(" if not ")
        either.append(_alternation([first]) + r",?\s+if\s+not\s+" + _alternation([second]) + r"\b,?")
    plain = _alternation([p for p in VAGUE_AMOUNTS if " if not " not in p]) + r"\b"
    return r"\b(?:" + "|".join([*either, plain]) + ")"


VAGUE = _vague_pattern()
RANGE = rf"(?:\bbetween\s+{NUMBER}\s+and\s+{NUMBER}|{NUMBER}\s*(?:-|–|\bto\b)\s*{NUMBER})"
# one NUMBER tried per position: a range is a number followed by its second number
AMOUNT = (
    rf"(?:(?:{MODIFIER}\s+)?(?:\bbetween\s+{NUMBER}\s+and\s+{NUMBER}|{NUMBER}(?:\s*(?:-|–|\bto\b)\s*{NUMBER})?"
    rf"|{VAGUE}))"
)
FRACTION = r"\b(?:" + _alternation(list(FRACTIONS)).replace(r"\s+", r"[\s-]+") + r")\b"
ORDINAL = r"\b\d+(?:st|nd|rd|th)\b"

_NUMBER_RE = re.compile(rf"(?P<digits>{DIGITS})(?:\s*-?\s*(?P<scale>{SCALE}))?", re.IGNORECASE)
_AMOUNT_RE = re.compile(
    rf"(?:(?P<mod>{MODIFIER})\s+)?(?:(?P<vague>{VAGUE})"
    rf"|\bbetween\s+(?P<a>{NUMBER})\s+and\s+(?P<b>{NUMBER})|(?P<lo>{NUMBER})\s*(?:-|–|\bto\b)\s*(?P<hi>{NUMBER})"
    rf"|(?P<n>{NUMBER}))",
    re.IGNORECASE,
)
# Is there anything number-like at all? A cheap test before the full patterns.
NUMBER_WORD_RE = re.compile(
    r"\b(?:" + "|".join([*UNITS, *TENS, "hundreds?", "thousands?", "millions?", "billions?", "trillion",
                          "dozens?", "scores", "several", "few", "couple", "handful", "half", "thirds?",
                          "quarters?", "fifth", "tenth"]) + r")\b",
    re.IGNORECASE,
)  # fmt: skip


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s-]+", text.lower().strip()) if w]


def _word_value(text: str) -> float | None:
    """'two hundred and fifty thousand' -> 250000; None for what is not one well-formed number."""
    total = 0.0
    current = 0.0
    last = ""
    for word in _words(text):
        if last == "dozen" and word not in SCALE_WORDS:
            return None  # nothing but a larger scale follows "dozen"
        if word in ("a", "an"):
            if last:
                return None
            current, last = 1.0, "a"
        elif word == "and":
            if last not in ("hundred", "scale"):
                return None
            last = "and"
        elif word in UNITS:
            if last in ("unit", "a") or (last == "tens" and UNITS[word] >= 10) or (last == "tens" and not UNITS[word]):
                return None
            current += UNITS[word]
            last = "unit"
        elif word in TENS:
            if last in ("unit", "tens", "a"):
                return None
            current += TENS[word]
            last = "tens"
        elif word == "hundred":
            if last in ("hundred", "and") or current >= 100:
                return None
            current = (current or 1.0) * 100
            last = "hundred"
        elif word == "dozen":
            if last in ("and", "hundred"):
                return None
            current = (current or 1.0) * 12
            last = "dozen"
        elif word in SCALE_WORDS:
            if last == "and":
                return None
            total += (current or 1.0) * SCALE_WORDS[word]
            current = 0.0
            last = "scale"
        else:
            return None
    if last in ("", "a", "and"):
        return None
    return total + current


def parse_digits(text: str) -> float:
    """'1,200' -> 1200, '2 000' -> 2000, '3.5' -> 3.5 (digits only, no scale)."""
    return float(re.sub(r"[,\s\u00a0\u202f\u2009]", "", text))


# "1.000 led lights", "2.500 euros": a point before three digits ending in 0 is a European thousands separator as
# often as a decimal point; which one the writer meant the digits cannot say, so no value is given
_DOTTED_THOUSANDS_RE = re.compile(r"\d{1,3}\.\d\d0")


def ambiguous_point(digits: str) -> bool:
    """Digits whose point may separate thousands or decimals ('1.000', '2.500'; not '3.141', '0.5', '1.25')."""
    return bool(_DOTTED_THOUSANDS_RE.fullmatch(digits.strip()))


def split_scale(text: str) -> tuple[str, str] | None:
    """'3.4m' -> ('3.4', 'm'); '2 000' -> ('2 000', ''); None when `text` is not digits with an optional scale."""
    m = _NUMBER_RE.fullmatch(text.strip())
    if m is None:
        return None
    return m["digits"], (m["scale"] or "").lower()


def parse_number(text: str) -> float | None:
    """One number written in digits or words, with its scale: '2.5 million', '3bn', 'twenty-five', 'a dozen'."""
    parts = split_scale(text)
    if parts is not None:
        digits, scale = parts
        if ambiguous_point(digits):
            return None
        value = parse_digits(digits)
        if scale:
            value *= 100.0 if scale == "hundred" else SCALE_WORDS.get(scale) or SCALE_ABBREVIATIONS[scale]
        return value
    return _word_value(text)


def vague_amount(text: str) -> VagueAmount | None:
    """'a few' -> 2..5 (typical 3); 'hundreds, if not thousands,' -> 200..5000; None for anything else."""
    key = re.sub(r"\s+", " ", text.replace(",", " ").lower()).strip()
    return VAGUE_AMOUNTS.get(key)


def modifier(text: str) -> Modifier | None:
    return MODIFIERS.get(re.sub(r"\s+", " ", text.lower()).strip())


def comparator(words: str | None) -> Comparator:
    """The comparator a modifier expresses ('=' when there is none or it is unknown)."""
    found = modifier(words) if words else None
    return found.comparator if found else "="


@dataclass(frozen=True)
class Amount:
    """An amount as a reader takes it: the number stated (if one was), its bounds, and how they were set."""

    value: float | None  # the one number stated ("about 30" -> 30); None for ranges and vague amounts
    low: float | None  # None: open below
    high: float | None  # None: open above
    comparator: Comparator = "="
    strict: bool = False  # the high bound itself is excluded ("fewer than 10")
    typical: float | None = None  # the single figure to use when one is needed

    @property
    def exact(self) -> bool:
        return self.comparator == "=" and self.value is not None

    def count_range(self) -> tuple[int, int | None]:
        """Whole-number bounds for a count of people: an open low is 0 below a strict bound ("fewer than 10"),
        else 1 ("up to 60 killed" says some were); a strict high excludes itself."""
        open_low = 0 if self.strict else 1
        low = math.floor(round(self.low, 6)) if self.low is not None else open_low
        high: int | None = None
        if self.high is not None:
            high = math.ceil(round(self.high, 6))
            if self.strict:
                high = max(low, high - 1)
        return low, high


def bounded(value: float, mod: Modifier | None) -> Amount:
    """The number `value` as bounded by a modifier ('about 30' -> 24..36)."""
    if mod is None:
        return Amount(value, value, value, "=", typical=value)
    low = value * mod.low if mod.low is not None else None
    high = value * mod.high if mod.high is not None else None
    return Amount(value, low, high, mod.comparator, mod.strict, typical=value)


def from_vague(vague: VagueAmount, mod: Modifier | None = None) -> Amount:
    """A vague amount; 'more than' opens it above ('more than a few' -> 2..)."""
    if mod is not None and mod.comparator == ">=":
        return Amount(None, vague.low, None, ">=", typical=vague.typical)
    return Amount(None, vague.low, vague.high, "~" if vague.high is not None else ">=", typical=vague.typical)


def from_range(first: float, second: float) -> Amount | None:
    """'10 to 15', 'between 10 and 15' -> 10..15; None when the second is not larger (a change, not a range)."""
    if second <= first:
        return None
    return Amount(None, first, second, "~", typical=(first + second) / 2)


def parse_range(first: str, second: str) -> Amount | None:
    """Two numbers of a range ('2' and '3 billion': the first takes the second's scale when it has none)."""
    a, b = parse_number(first), parse_number(second)
    first_parts, second_parts = split_scale(first), split_scale(second)
    if a is not None and first_parts and not first_parts[1] and second_parts and second_parts[1]:
        a = parse_number(f"{first_parts[0]} {second_parts[1]}")
    return from_range(a, b) if a is not None and b is not None else None


def parse_amount(text: str) -> Amount | None:
    """An amount matched by `AMOUNT`: 'more than 1,200', 'a few', 'between 10 and 15', 'twenty-five'."""
    m = _AMOUNT_RE.fullmatch(text.strip())
    if m is None:
        return None
    mod = modifier(m["mod"]) if m["mod"] else None
    if m["vague"]:
        vague = vague_amount(m["vague"])
        return from_vague(vague, mod) if vague else None
    for first_group, second_group in (("a", "b"), ("lo", "hi")):
        if m[first_group]:
            return parse_range(m[first_group], m[second_group])
    value = parse_number(m["n"])
    return bounded(value, mod) if value is not None else None


def parse_fraction(text: str) -> float | None:
    """'a third' -> 1/3, 'one in five' -> 0.2, 'two-thirds' -> 2/3."""
    return FRACTIONS.get(" ".join(_words(text)))


ORDINAL_WORDS = {
    word: i
    for i, word in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        start=1,
    )
}
ORDINAL_WORD = r"(?:twenty-first|" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + ")"


def parse_ordinal(text: str) -> int | None:
    """'101st' -> 101, 'fifteenth' -> 15, 'twenty-first' -> 21."""
    word = text.strip().lower()
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    if word in ("twenty-first", "twenty first"):
        return 21
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    return int(m[1]) if m else None
