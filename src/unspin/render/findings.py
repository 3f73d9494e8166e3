"""What every renderer shares, computed from the analysis alone: where a finding sits (paragraph and sentence
numbers a reader can find, not character offsets), which parts were not analysed and why (never shown as "none
found"), what to read with care (extraction doubts, page kind, warnings), counts per kind of finding, plain-words
readings of quantities, dates and events, and one flat row per finding (CSV, Markdown).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from unspin.analysis import Analysis, Claim, DateMention, Event, Fatalities, Quantity, Quote, TechniqueReliability
from unspin.taxonomy import TECHNIQUES

# Which built-in detector fills each part of the analysis. A part whose detector is in `Analysis.skipped`, or did
# not run at all, is "not analysed", never "none found".
PRODUCERS: dict[str, str] = {
    "techniques": "techniques",
    "sentences": "subjectivity",
    "claims": "claims",
    "quotes": "sources",
    "sources": "sources",
    "attributions": "sources",
    "entities": "entities",
    "places": "places",
    "dates": "dates",
    "events": "events",
}

# The parts counted in summaries, in the order a reader meets them, with singular and plural nouns.
COUNTED: tuple[tuple[str, str, str], ...] = (
    ("techniques", "technique span", "technique spans"),
    ("claims", "claim", "claims"),
    ("quotes", "quote", "quotes"),
    ("sources", "source", "sources"),
    ("entities", "named entity", "named entities"),
    ("places", "place", "places"),
    ("dates", "date", "dates"),
    ("events", "event", "events"),
)

LOW_EXTRACTION_CONFIDENCE = 0.5
ALL_HINT = "--all shows every one"
_NOT_ANALYSED = re.compile(r"^\s*not analy[sz]ed\s*[:(\-–—]\s*", re.IGNORECASE)
_YEAR = re.compile(r"^(1[5-9]|20)\d\d$")


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


# --------------------------------------------------------------------------------------------- not analysed


def skip_reasons(analysis: Analysis) -> dict[str, str]:
    """Detector name -> why it did not run, in the analysis' own words without the leading 'not analysed:'."""
    reasons: dict[str, str] = {}
    for skipped in analysis.skipped:
        reasons.setdefault(skipped.detector, _NOT_ANALYSED.sub("", skipped.reason).strip() or "no reason given")
    return reasons


def not_analysed(analysis: Analysis, part: str) -> str | None:
    """Why `part` (a field of the analysis, e.g. 'claims') was not analysed; None when it was (or when its
    findings are there). An analysis that records no detector run at all (built by hand) is taken at its word."""
    if getattr(analysis, part, None):
        return None
    detector = PRODUCERS.get(part)
    if detector is None:
        return None
    reasons = skip_reasons(analysis)
    if detector in reasons:
        return reasons[detector]
    ran = {run.name for run in analysis.detectors}
    if ran and detector not in ran:
        return f"the {detector} detector did not run"
    return None


def not_analysed_text(reason: str) -> str:
    """The one wording every output uses: 'not analysed (reason)'."""
    return f"not analysed ({reason})"


# --------------------------------------------------------------------------------------------- cautions


def cautions(analysis: Analysis) -> list[str]:
    """What the reader must know before trusting the findings: how doubtful the text extraction is, what kind
    of page it came from, and the analysis' warnings. Shown at the top of every report."""
    out: list[str] = []
    extraction = analysis.extraction
    if extraction is not None:
        if extraction.page_kind and extraction.page_kind != "article":
            out.append(
                f"This page looks like a {extraction.page_kind.replace('_', ' ')}, not an article: the findings "
                "cover only the text that was extracted."
            )
        if extraction.confidence < LOW_EXTRACTION_CONFIDENCE:
            out.append(
                f"The article text may be incomplete or wrong (extraction by {extraction.method}, confidence "
                f"{extraction.confidence:.0%})."
            )
        out.extend(f"Extraction: {doubt}" for doubt in extraction.doubts)
    out.extend(message for message in analysis.warnings if message not in out)
    out.extend(_publication_day(analysis))
    return out


def _publication_day(analysis: Analysis) -> list[str]:
    """Relative dates ("yesterday", "last week", "two years ago") count from the publication day: say when it is
    unknown (they are left unresolved, not absent) or only inferred from the text."""
    if not any(run.name == "dates" for run in analysis.detectors):
        return []
    doc = analysis.document
    if not doc.published:
        return [
            "The publication date is unknown: dates counted from it ('yesterday', 'last week', 'two years ago') are "
            "left unresolved (give --published to resolve them)."
        ]
    if doc.published_source == "inferred":
        return [
            f"The publication date ({doc.published[:10]}) was inferred from the latest date the text states: dates "
            "counted from it are marked inferred (give --published if it is wrong)."
        ]
    return []


# --------------------------------------------------------------------------------------------- counts


@dataclass(frozen=True)
class PartCount:
    part: str
    noun: str  # already in the singular or plural that the count needs
    count: int | None  # None: not analysed
    reason: str | None = None

    def __str__(self) -> str:
        if self.count is None:
            return f"{self.noun}: {not_analysed_text(self.reason or '')}"
        return f"{self.count:,} {self.noun}"


def counts(analysis: Analysis) -> list[PartCount]:
    """Per kind of finding: how many, or why it was not analysed."""
    out: list[PartCount] = []
    for part, one, many in COUNTED:
        reason = not_analysed(analysis, part)
        if reason is not None:
            out.append(PartCount(part, many, None, reason))
        else:
            n = len(quotations(analysis)) if part == "quotes" else len(getattr(analysis, part))
            out.append(PartCount(part, one if n == 1 else many, n))
    return out


def more_line(shown: int, total: int, what: str = "", hint: str = ALL_HINT) -> str | None:
    """The line under a list cut short: '… and 82 more (--all shows every one)'; None when nothing was cut."""
    if total <= shown:
        return None
    return f"… and {total - shown:,} more{' ' + what if what else ''} ({hint})"


def quotations(analysis: Analysis) -> list[Quote]:
    """The quotes a reader is shown: titles of works, shows and campaigns in quotation marks (kind `title`)
    are no quotations (the CSV keeps them, with their kind)."""
    return [q for q in analysis.quotes if q.kind != "title"]


def analysed_detectors(analysis: Analysis) -> list[str]:
    return [run.name for run in analysis.detectors]


def selected_claims(analysis: Analysis, all_claims: bool) -> tuple[list[Claim], int]:
    """The claims to list (the `selected` cut, or all of them), best first, and how many were left out."""
    claims = sorted(analysis.claims, key=lambda c: (-c.checkworthiness, c.start))
    if all_claims:
        return claims, 0
    chosen = [c for c in claims if c.selected]
    return chosen, len(claims) - len(chosen)


# --------------------------------------------------------------------------------------------- positions


@dataclass(frozen=True)
class Position:
    """Where a finding starts, as a reader counts: paragraph (a non-empty line of the analysed text, the first
    being ¶1) and sentence within that paragraph (when the analysis has sentences)."""

    paragraph: int
    sentence: int | None = None

    def __str__(self) -> str:
        return f"¶{self.paragraph}" + (f" s{self.sentence}" if self.sentence else "")


class Locator:
    """Turns character offsets into paragraph and sentence numbers."""

    def __init__(self, analysis: Analysis) -> None:
        text = analysis.document.text
        self.paragraph_starts: list[int] = [m.start() for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
        self.sentence_starts: list[int] = sorted(s.start for s in analysis.sentences)

    def paragraph(self, offset: int) -> int:
        return max(1, bisect_right(self.paragraph_starts, offset))

    def at(self, offset: int) -> Position:
        paragraph = self.paragraph(offset)
        if not self.sentence_starts:
            return Position(paragraph)
        start = self.paragraph_starts[paragraph - 1] if self.paragraph_starts else 0
        first = bisect_right(self.sentence_starts, start - 1)
        number = bisect_right(self.sentence_starts, offset) - first
        return Position(paragraph, number if number > 0 else None)


# --------------------------------------------------------------------------------------------- readings


def number(x: float | None) -> str:
    """1,500,000 / 2.5; empty for None."""
    if x is None or not math.isfinite(x):
        return ""
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def iso_date_label(value: str | None, precision: str | None = None) -> str:
    """'16 Sep 2016', 'March 2024', '2011' from ISO dates or year-months; the value itself when unreadable."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 1:
            return str(int(parts[0]))
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
        d = date.fromisoformat(value)
    except ValueError:
        return value
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return d.strftime("%B %Y")
    return f"{d.day} {d.strftime('%b %Y')}"


def quantity_label(q: Quantity) -> str:
    """A normalised reading of a quantity: '≥ 100 USD', '3–5 %', '~ 1,200', dates as dates ('2011', '16 Sep 2016'),
    a year read as a number still as a year ('2019', never '2,019'); '' when there is nothing to add to the words."""
    if q.kind == "date":
        return iso_date_label(q.date) if q.date else ""
    as_year = (
        _YEAR.fullmatch(q.text.strip()) is not None and q.value is not None and str(int(q.value)) == q.text.strip()
    )
    if as_year:
        return q.text.strip()
    unit = f" {q.unit}" if q.unit else ""
    if q.low is not None and q.high is not None and q.low != q.high:
        value = f"{number(q.low)}–{number(q.high)}"
    elif q.value is not None:
        value = number(q.value)
    elif q.low is not None:
        value = number(q.low)
    else:
        return ""
    sign = {"=": "", ">=": "≥ ", "<=": "≤ ", "~": "~ "}[q.comparator]
    return f"{sign}{value}{unit}"


def deaths_label(f: Fatalities) -> str:
    """'12 dead', 'at least 62 dead', 'up to 40 dead', '200–5,000 dead'; '' when unknown."""
    low, high = f.low, f.high
    if low is not None and high is not None:
        return f"{low:,} dead" if low == high else f"{low:,}–{high:,} dead"
    if low is not None:
        return f"at least {low:,} dead"
    if high is not None:
        return f"up to {high:,} dead"
    return ""


ACTION_NOUNS = {
    "attack": "Attack",
    "air_strike": "Air strike",
    "shelling": "Shelling",
    "siege": "Siege",
    "capture": "Capture",
    "kill": "Killing",
    "withdraw": "Withdrawal",
    "aid": "Aid",
    "negotiate": "Negotiations",
    "protest": "Protest",
    "other": "Event",
}
# how the target follows the action in words: 'Shelling of the market', 'Aid to Aleppo', 'Protest against ...'
ACTION_TARGET = {"withdraw": "from", "aid": "to", "negotiate": "with", "protest": "against"}
_COUNT_LIKE = re.compile(r"^[\d.,\s]+$")


def event_title(e: Event) -> str:
    """An event in words: 'Air strike by aircraft on positions: at least 62 dead', 'Killing: 7,844 dead'.

    A target that is only a number (the count of victims read as the target) is left to the deaths."""
    title = ACTION_NOUNS.get(e.action, e.action.replace("_", " ").capitalize())
    target = e.target if e.target and not _COUNT_LIKE.match(e.target) else None
    if target:
        title += f" {ACTION_TARGET.get(e.action, 'of' if e.action in ('kill', 'capture', 'siege') else 'on')} {target}"
    if e.actor:
        title += f" by {e.actor}"
    deaths = deaths_label(e.fatalities) if e.fatalities else ""
    if deaths:
        title += f": {deaths}"
    return title


def event_date_label(e: Event) -> str:
    if not e.date:
        return "undated"
    label = iso_date_label(e.date, e.date_precision)
    if e.date_end and e.date_end != e.date:
        label += f" – {iso_date_label(e.date_end, e.date_precision)}"
    return label


def date_mention_label(d: DateMention) -> str:
    label = iso_date_label(d.value, d.precision)
    if d.end_value and d.end_value != d.value:
        label += f" – {iso_date_label(d.end_value, d.precision)}"
    return label


def technique_name(label: str) -> str:
    technique = TECHNIQUES.get(label)
    return technique.name if technique else label.replace("_", " ")


def reliability_label(reliability: TechniqueReliability | None) -> str:
    """How far to trust a technique label, in words, from its cross-validated precision and recall."""
    if reliability is None:
        return ""
    p, r = reliability.precision, reliability.recall
    if p <= 0.0:
        return f"never right in cross-validation (precision 0.00, recall {r:.2f}): ignore unless you see it yourself"
    if p >= 0.2:
        reading = "one of the model's more reliable labels, still check it"
    elif p >= 0.1:
        reading = "read it as a hint"
    else:
        reading = "rarely right: a weak hint"
    return (
        f"right about 1 time in {max(1, round(1 / p))} in cross-validation "
        f"(precision {p:.2f}, recall {r:.2f}): {reading}"
    )


# --------------------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Row:
    """One finding, flat: what CSV writes and Markdown lists."""

    kind: str
    start: int | None
    end: int | None
    paragraph: int | None
    sentence: int | None
    text: str
    label: str
    score: float | None
    details: str

    @staticmethod
    def header() -> list[str]:
        return ["kind", "start", "end", "paragraph", "sentence", "text", "label", "score", "details"]

    def cells(self) -> list[str]:
        def cell(value: object) -> str:
            if value is None:
                return ""
            if isinstance(value, float):
                return f"{value:.4g}"
            return str(value)

        return [
            cell(v)
            for v in (
                self.kind,
                self.start,
                self.end,
                self.paragraph,
                self.sentence,
                self.text,
                self.label,
                self.score,
                self.details,
            )
        ]


def _details(*pairs: tuple[str, object]) -> str:
    return "; ".join(f"{key}: {value}" for key, value in pairs if value not in (None, "", []))


def rows(analysis: Analysis, *, all_claims: bool = False) -> Iterator[Row]:
    """Every finding as a row, in reading order within each kind; then one row per part not analysed (kind
    `not_analysed`, the detector as label, the reason as details) and one per caution (kind `caution`)."""
    text = analysis.document.text
    where = Locator(analysis)

    def row(
        kind: str, start: int | None, end: int | None, words: str, label: str, score: float | None, details: str
    ) -> Row:
        position = where.at(start) if start is not None else None
        return Row(
            kind,
            start,
            end,
            position.paragraph if position else None,
            position.sentence if position else None,
            " ".join(words.split()),
            label,
            score,
            details,
        )

    for t in sorted(analysis.techniques, key=lambda t: (t.start, t.end, t.technique)):
        evidence = ", ".join(f"{s}-{e}" for s, e in t.evidence)
        yield row(
            "technique",
            t.start,
            t.end,
            text[t.start : t.end],
            t.technique,
            t.score,
            _details(("technique", technique_name(t.technique)), ("evidence", evidence)),
        )
    for s in analysis.sentences:
        yield row(
            "sentence",
            s.start,
            s.end,
            text[s.start : s.end],
            "opinion" if s.subjective else "reporting",
            s.subjectivity,
            "",
        )
    claims, _ = selected_claims(analysis, all_claims)
    for c in sorted(claims, key=lambda c: c.start):
        quantities = ", ".join(
            f"{q.text} ({label})" if (label := quantity_label(q)) and label != q.text else q.text for q in c.quantities
        )
        attributed = {True: "yes", False: "no (cites no source)", None: ""}[c.attributed]
        yield row(
            "claim",
            c.start,
            c.end,
            c.text,
            "selected" if c.selected else "not selected",
            c.checkworthiness,
            _details(
                ("attributed", attributed),
                ("quantities", quantities),
                ("entities", ", ".join(e.text for e in c.entities)),
            ),
        )
    for q in analysis.quotes:
        yield row(
            "quote",
            q.start,
            q.end,
            q.text,
            q.kind,
            None,
            _details(
                ("speaker", q.speaker or "unnamed"),
                ("verb", q.verb),
                ("group", q.group),
                ("closed", "no" if not q.closed else None),
            ),
        )
    for source in analysis.sources:
        first = min(source.mentions, default=None)
        yield row(
            "source",
            first[0] if first else None,
            first[1] if first else None,
            source.name,
            source.kind,
            None,
            _details(("mentions", len(source.mentions))),
        )
    for a in analysis.attributions:
        yield row("attribution", a.start, a.end, a.text, a.kind, None, _details(("stance", a.stance)))
    for entity in analysis.entities:
        yield row("entity", entity.start, entity.end, entity.text, entity.label, None, "")
    for p in analysis.places:
        yield row(
            "place",
            p.start,
            p.end,
            text[p.start : p.end],
            p.name,
            p.confidence,
            _details(
                ("country", p.country),
                ("feature", p.feature),
                ("lat", p.lat),
                ("lon", p.lon),
                ("geonameid", p.geonameid),
            ),
        )
    for d in analysis.dates:
        yield row(
            "date",
            d.start,
            d.end,
            d.text,
            d.precision,
            None,
            _details(
                ("value", d.value),
                ("end", d.end_value if d.end_value != d.value else None),
                ("inferred", "yes" if d.inferred else None),
            ),
        )
    for e in sorted(analysis.events, key=lambda e: e.start):
        best = e.matches[0] if e.matches else None
        record = None
        if best is not None:
            record = f"{best.id} ({'; '.join(best.discrepancies) if best.discrepancies else 'no discrepancy'})"
        yield row(
            "event",
            e.start,
            e.end,
            e.text or text[e.start : e.end],
            e.action,
            e.confidence,
            _details(
                ("title", event_title(e)),
                ("date", e.date),
                ("place", e.place),
                ("country", e.country),
                ("lat", e.lat),
                ("lon", e.lon),
                ("record", record),
            ),
        )
    for detector, reason in skip_reasons(analysis).items():
        yield Row("not_analysed", None, None, None, None, "", detector, None, not_analysed_text(reason))
    for caution in cautions(analysis):
        yield Row("caution", None, None, None, None, "", "", None, caution)


__all__ = [
    "ALL_HINT",
    "COUNTED",
    "PRODUCERS",
    "Locator",
    "PartCount",
    "Position",
    "Row",
    "analysed_detectors",
    "cautions",
    "counts",
    "date_mention_label",
    "deaths_label",
    "event_date_label",
    "event_title",
    "iso_date_label",
    "not_analysed",
    "not_analysed_text",
    "number",
    "plural",
    "quantity_label",
    "rows",
    "selected_claims",
    "skip_reasons",
    "technique_name",
]
