"""The self-contained HTML report: one file, no external request, works offline.

Everything that comes from the article (text, metadata, speakers, record fields) is untrusted and escaped
by Jinja2's autoescape or by `markupsafe.escape`; the only markup not escaped is built here from integers,
fixed class names and the shipped taxonomy, or read from the shipped stylesheet and script. A strict
Content-Security-Policy (hashes of our own inline style and script) backs that up.

The article is rendered by cutting `document.text` at every span boundary into segments, each carrying the
set of technique spans covering it, so overlapping and nested spans render exactly (Python `str` offsets,
no conversion in the browser).
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import accumulate, pairwise
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from unspin.analysis import Analysis, Claim, Event, Quote, RecordMatch, Sentence, TechniqueSpan
from unspin.render.basemap import outline_paths
from unspin.render.findings import (
    Locator,
    cautions,
    event_date_label,
    event_title,
    not_analysed,
    not_analysed_text,
    quantity_label,
    quotations,
    reliability_label,
    selected_claims,
    skip_reasons,
)
from unspin.render.findings import number as _number
from unspin.taxonomy import TECHNIQUES

ABBREVIATIONS: dict[str, str] = {
    "Loaded_Language": "LL",
    "Name_Calling,Labeling": "NC",
    "Repetition": "REP",
    "Exaggeration,Minimisation": "EXM",
    "Doubt": "DBT",
    "Appeal_to_fear-prejudice": "FEAR",
    "Flag-Waving": "FLAG",
    "Causal_Oversimplification": "CAUS",
    "Slogans": "SLO",
    "Appeal_to_Authority": "AUTH",
    "Black-and-White_Fallacy": "B&W",
    "Thought-terminating_Cliches": "TTC",
    "Whataboutism,Straw_Men,Red_Herring": "WSR",
    "Bandwagon,Reductio_ad_hitlerum": "BRH",
}
UNKNOWN_COLOUR = "#dddddd"
TOP_CLAIMS = 5  # shown best first above the claims grouped by paragraph, when there are more than FOLD_AFTER
FOLD_AFTER = 8  # a list longer than this is grouped, and its groups folded
MAX_SOURCES = 12
ACTION_LABELS = {"air_strike": "air strike", "other": "event"}
_SAFE_URL = re.compile(r"https?://[^\s<>\"'`\\]+", re.IGNORECASE)
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


# --------------------------------------------------------------------------------------------- segments


@dataclass(frozen=True)
class Segment:
    """A run of text `[start, end)` covered by exactly the spans `covering` (indices, outermost first)."""

    start: int
    end: int
    covering: tuple[int, ...] = ()


def segments(length: int, spans: Sequence[tuple[int, int]], cuts: Iterable[int] = ()) -> list[Segment]:
    """Cut `[0, length)` at every span boundary (and at `cuts`); each piece lists the spans covering it.

    Spans covering a segment are ordered outermost first: earlier start, then longer, then index.
    Empty spans cover nothing. Offsets outside the text raise `ValueError`: never shifted silently.
    """
    for i, (start, end) in enumerate(spans):
        if not 0 <= start <= end <= length:
            raise ValueError(f"span {i} [{start}, {end}) does not land on a text of length {length}")
    bounds = {0, length}
    bounds.update(c for c in cuts if 0 <= c <= length)
    starts: dict[int, list[int]] = defaultdict(list)
    for i, (start, end) in enumerate(spans):
        if end > start:
            bounds.update((start, end))
            starts[start].append(i)
    order = sorted(bounds)
    active: set[int] = set()
    out: list[Segment] = []
    for a, b in pairwise(order):
        active = {i for i in active if spans[i][1] > a}
        active.update(starts.get(a, ()))
        covering = tuple(sorted(active, key=lambda i: (spans[i][0], -spans[i][1], i)))
        out.append(Segment(a, b, covering))
    return out


# --------------------------------------------------------------------------------------------- view model


@dataclass
class TechniqueKind:
    """One technique label present in the analysis, with its CSS index `k` (class `t{k}`)."""

    k: int
    label: str
    name: str
    abbr: str
    definition: str
    colour: str
    count: int = 0
    known: bool = True
    reliability: str = ""  # the technique's cross-validated precision in words (empty for older analyses)


@dataclass
class SpanView:
    i: int  # 1-based number, in reading order; the id of its footnote entry is sp-{i}
    span: TechniqueSpan
    kind: TechniqueKind
    text: str
    evidence: list[tuple[int, int, str]] = field(default_factory=list)
    quoted: str | None = None  # the speaker, when the span lies inside a quote ("" when unnamed)

    @property
    def percent(self) -> int:
        return round(self.span.score * 100)


def _kind(k: int, label: str) -> TechniqueKind:
    t = TECHNIQUES.get(label)
    if t is None:
        return TechniqueKind(
            k, label, label.replace("_", " "), "?", "A label outside the PTC scheme.", UNKNOWN_COLOUR, known=False
        )
    colour = t.colour if _COLOUR.fullmatch(t.colour) else UNKNOWN_COLOUR
    return TechniqueKind(k, label, t.name, ABBREVIATIONS.get(label, label[:3].upper()), t.definition, colour)


def safe_url(url: str | None) -> str | None:
    """The URL if it is a plain http(s) URL worth linking, else None (shown as text, never linked)."""
    if url and _SAFE_URL.fullmatch(url) and len(url) < 2048:
        return url
    return None


def _excerpt(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _pct(x: float) -> int:
    return round(x * 100)


def match_verdict(m: RecordMatch) -> str:
    """'disagrees' when any compared field disagrees or a discrepancy is listed; 'agrees'; or 'unclear'."""
    checks = [m.date_agrees, m.place_agrees, m.actors_agree, m.deaths.agrees]
    if m.discrepancies or any(c is False for c in checks):
        return "disagrees"
    if any(c is True for c in checks):
        return "agrees"
    return "unclear"


def _range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "—"
    if low is not None and high is not None and low != high:
        return f"{low:,}–{high:,}"
    return f"{(low if low is not None else high):,}"


# --------------------------------------------------------------------------------------------- article


class _Article:
    """Builds the highlighted article as Markup. Every piece of text goes through `escape`."""

    def __init__(self, analysis: Analysis, views: list[SpanView]) -> None:
        self.a = analysis
        self.text = analysis.document.text
        self.views = views

    def targets(self) -> list[tuple[int, int]]:
        """Ranges other parts of the report link to (quotes, claims, mentions ...): anchors + flash."""
        a = self.a
        out: list[tuple[int, int]] = []
        out += [(q.start, q.end) for q in a.quotes]
        out += [
            (q.speaker_start, q.speaker_end)
            for q in a.quotes
            if q.speaker_start is not None and q.speaker_end is not None
        ]
        out += [(c.start, c.end) for c in a.claims]
        out += [(s, e) for src in a.sources for s, e in src.mentions]
        out += [(e.start, e.end) for e in a.events]
        out += [(p.start, p.end) for p in a.places]
        out += [(x.start, x.end) for x in a.attributions]
        out += [(s, e) for v in self.views for s, e in v.span.evidence]
        out += [(v.span.start, v.span.end) for v in self.views]
        n = len(self.text)
        return [(s, e) for s, e in out if 0 <= s <= e <= n]

    def render(self) -> Markup:
        text, views = self.text, self.views
        n = len(text)
        spans = [(v.span.start, v.span.end) for v in views]
        sentences = sorted((s.start, s.end, s) for s in self.a.sentences if 0 <= s.start < s.end <= n)
        quotes = [(q.start, q.end) for q in self.a.quotes]
        speakers = [
            (q.speaker_start, q.speaker_end)
            for q in self.a.quotes
            if q.speaker_start is not None and q.speaker_end is not None
        ]
        claims = [(c.start, c.end) for c in self.a.claims]
        groups = {
            "targets": self.targets(),
            "q": quotes,
            "spk": speakers,
            "cl": claims,
            "sent": [(s, e) for s, e, _ in sentences],
        }
        for name, group in groups.items():
            groups[name] = [(s, e) for s, e in group if 0 <= s <= e <= n]
        cuts: set[int] = {b for group in groups.values() for pair in group for b in pair}
        cuts.update(b for pair in spans for b in pair)
        # the same cuts for every layer, so the segment lists line up one to one
        layers = {name: segments(n, group, cuts) for name, group in groups.items()}
        target_starts = {s for s, e in groups["targets"] if e > s}
        ends: dict[int, list[int]] = defaultdict(list)
        for v in views:
            if v.span.end > v.span.start:
                ends[v.span.end].append(v.i)

        out: list[str] = []
        sentence_open: int | None = None
        for k, seg in enumerate(segments(n, spans, cuts)):
            covering = layers["sent"][k].covering
            current = covering[-1] if covering else None  # overlapping sentences: the innermost wins
            if current != sentence_open:
                if sentence_open is not None:
                    out.append("</span>")
                if current is not None:
                    out.append(self._open_sentence(sentences[current][2]))
                sentence_open = current
            classes = [name for name in ("q", "spk", "cl") if layers[name][k].covering]
            out.append(self._segment(seg, seg.start in target_starts, bool(layers["targets"][k].covering), classes))
            if seg.end in ends:
                numbers = sorted(ends.pop(seg.end))
                out.append('<sup class="fnref" aria-hidden="true">[' + ",".join(map(str, numbers)) + "]</sup>")
        if sentence_open is not None:
            out.append("</span>")
        return Markup("".join(out))

    @staticmethod
    def _open_sentence(s: Sentence) -> str:
        p = _pct(s.subjectivity)
        if s.subjective:
            return f'<span class="sent op sj{min(9, int(s.subjectivity * 10))}" title="Opinion · {p}% subjective">'
        return f'<span class="sent rep" title="Reporting · {p}% subjective">'

    def _segment(self, seg: Segment, anchor: bool, target: bool, classes: list[str]) -> str:
        body = str(escape(self.text[seg.start : seg.end]))
        views = [self.views[i] for i in seg.covering]
        n = len(views)
        if n:
            tip = " · ".join(f"{v.kind.abbr} {v.kind.name} {v.percent}%" for v in views)
            for depth, v in reversed(list(enumerate(views))):
                band = min(n - 1 - depth, 3)
                attrs = f'class="hl t{v.kind.k} b{band}" data-i="{v.i}" data-k="{v.kind.k}"'
                if depth == n - 1:
                    attrs += f' title="{escape(tip)}"'
                if seg.start == v.span.start:
                    label = f"{v.kind.name} ({v.kind.abbr}), {v.percent}%: {_excerpt(v.text, 80)}"
                    attrs += f' tabindex="0" role="button" aria-label="{escape(label)}"'
                body = f"<mark {attrs}>{body}</mark>"
        wrap: list[str] = []
        if anchor:
            wrap.append(f'id="at-{seg.start}"')
        if target:
            wrap.append(f'data-o="{seg.start}"')
        if classes:
            wrap.append(f'class="{" ".join(classes)}"')
        if wrap:
            return f"<span {' '.join(wrap)}>{body}</span>"
        return body


# --------------------------------------------------------------------------------------------- map


@dataclass
class MapPoint:
    x: float
    y: float
    r: float
    label: str
    kind: str  # "place" or "event"
    href: str
    tip: str
    label_x: float = 0.0
    anchor: str = "start"
    show_label: bool = True


@dataclass
class MapView:
    width: int
    height: int
    points: list[MapPoint]
    lines: list[tuple[float, float, float, float]]
    ticks: list[tuple[float, float, str, str]]  # x, y, text, anchor
    land: list[tuple[str, str]] = field(default_factory=list)  # country name, SVG path (coastlines and borders)
    frame: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x, y, width, height of the drawn area
    off_map: list[str] = field(default_factory=list)  # places named far from the events, left off the map


FOCUS_DEGREES = 6.0
RawPoint = tuple[float, float, str, str, str, str, float]  # lat, lon, label, kind, href, tip, weight


def _focus(raw: list[RawPoint]) -> tuple[list[RawPoint], list[str]]:
    """With events on the map, frame them and the places near them; a capital named in passing half a world
    away ("officials in Washington said") would otherwise shrink the events to one blot. Those places are
    listed under the map instead."""
    events = [r for r in raw if r[3] == "event"]
    if not events:
        return raw, []
    lat0, lat1 = min(r[0] for r in events) - FOCUS_DEGREES, max(r[0] for r in events) + FOCUS_DEGREES
    lon0, lon1 = min(r[1] for r in events) - FOCUS_DEGREES, max(r[1] for r in events) + FOCUS_DEGREES
    kept: list[RawPoint] = []
    away: list[RawPoint] = []
    for r in raw:
        (kept if lat0 <= r[0] <= lat1 and lon0 <= r[1] <= lon1 else away).append(r)
    return kept, sorted({r[2] for r in away})


def _step(extent: float) -> float:
    for step in (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 45, 60, 90):
        if extent / step <= 6:
            return float(step)
    return 90.0


def _deg(v: float, pos: str, neg: str) -> str:
    h = pos if v >= 0 else neg
    v = abs(v)
    return f"{v:.0f}°{h}" if v == int(v) else f"{v:g}°{h}"


COARSE_FEATURES = frozenset({"country", "region", "continent"})
MIN_PAD_DEGREES = 1.5


# Labels are placed for at most this many points, the events and biggest places first: far more than one article
# maps, and it keeps a map of thousands of places from checking every label against every point.
MAX_LABEL_TRIES = 100


def build_map(analysis: Analysis) -> MapView | None:
    """An equirectangular projection fitted to the points' bounding box, with coastlines and country borders
    (Natural Earth outlines, see `basemap`) under a light graticule."""
    raw: list[tuple[float, float, str, str, str, str, float]] = []  # lat, lon, label, kind, href, tip, weight
    seen: Counter[tuple[str, float, float]] = Counter()
    firsts: dict[tuple[str, float, float], int] = {}
    # A country's or region's point is a convention; drawn beside towns it only stretches the frame.
    precise = [p for p in analysis.places if p.feature not in COARSE_FEATURES]
    for p in precise or analysis.places:
        if not (math.isfinite(p.lat) and math.isfinite(p.lon)):
            continue
        key = (p.name, round(p.lat, 3), round(p.lon, 3))
        seen[key] += 1
        firsts.setdefault(key, p.start)
    for (name, lat, lon), count in seen.items():
        tip = f"{name} — mentioned {count}×"
        raw.append((lat, lon, name, "place", f"#at-{firsts[(name, lat, lon)]}", tip, float(count)))
    for e in analysis.events:
        if e.lat is None or e.lon is None or not (math.isfinite(e.lat) and math.isfinite(e.lon)):
            continue
        label = e.place or ACTION_LABELS.get(e.action, e.action.replace("_", " "))
        tip = f"{event_title(e)} — {e.date or 'undated'}"
        deaths = (e.fatalities.high or e.fatalities.low or 0) if e.fatalities else 0
        raw.append((e.lat, e.lon, label, "event", f"#at-{e.start}", tip, float(deaths)))
    if not raw:
        return None
    raw, off_map = _focus(raw)
    lats = [r[0] for r in raw if -90 <= r[0] <= 90]
    lons = [r[1] for r in raw if -180 <= r[1] <= 180]
    if not lats or not lons:
        return None
    lat0, lat1, lon0, lon1 = min(lats), max(lats), min(lons), max(lons)
    # at least a few degrees around the points, so that coasts and borders say where they are
    pad_lat = max((lat1 - lat0) * 0.15, MIN_PAD_DEGREES)
    pad_lon = max((lon1 - lon0) * 0.15, MIN_PAD_DEGREES)
    lat0, lat1 = max(lat0 - pad_lat, -90.0), min(lat1 + pad_lat, 90.0)
    lon0, lon1 = max(lon0 - pad_lon, -180.0), min(lon1 + pad_lon, 180.0)
    k = max(math.cos(math.radians((lat0 + lat1) / 2)), 0.2)  # standard parallel at the middle latitude
    w_deg, h_deg = (lon1 - lon0) * k, lat1 - lat0
    width, margin = 760, 36
    inner_w = width - 2 * margin
    scale = inner_w / w_deg
    inner_h = h_deg * scale
    if inner_h > 420:  # too tall: cap the height and widen the longitudes to fill the frame
        scale = 420 / h_deg
        inner_h = 420.0
        extra = (inner_w / scale / k - (lon1 - lon0)) / 2
        lon0, lon1 = max(lon0 - extra, -180.0), min(lon1 + extra, 180.0)
    elif inner_h < 220:  # too flat: heighten the latitudes instead
        extra = (220 / scale - h_deg) / 2
        lat0, lat1 = max(lat0 - extra, -90.0), min(lat1 + extra, 90.0)
        inner_h = (lat1 - lat0) * scale
    height = round(inner_h + 2 * margin)
    x_off = margin + (inner_w - (lon1 - lon0) * k * scale) / 2

    def px(lat: float, lon: float) -> tuple[float, float]:
        return round(x_off + (lon - lon0) * k * scale, 1), round(margin + (lat1 - lat) * scale, 1)

    # outlines a little beyond the frame, so that clipped edges along the box stay out of sight
    slack_lon, slack_lat = 4 / (k * scale), 4 / scale
    land = outline_paths((lon0 - slack_lon, lat0 - slack_lat, lon1 + slack_lon, lat1 + slack_lat), px)
    (fx0, fy0), (fx1, fy1) = px(lat1, lon0), px(lat0, lon1)

    lines: list[tuple[float, float, float, float]] = []
    ticks: list[tuple[float, float, str, str]] = []
    step = _step(lon1 - lon0)
    v = math.ceil(lon0 / step) * step
    while v <= lon1 + 1e-9:
        (xa, ya), (_, yb) = px(lat1, v), px(lat0, v)
        lines.append((xa, ya, xa, yb))
        ticks.append((xa, yb + 14, _deg(round(v, 4), "E", "W"), "middle"))
        v += step
    step = _step(lat1 - lat0)
    v = math.ceil(lat0 / step) * step
    while v <= lat1 + 1e-9:
        (xa, ya), (xb, _) = px(v, lon0), px(v, lon1)
        lines.append((xa, ya, xb, ya))
        ticks.append((xa - 4, ya + 4, _deg(round(v, 4), "N", "S"), "end"))
        v += step

    points: list[MapPoint] = []
    max_w = max((r[6] for r in raw if r[3] == "event"), default=0.0) or 1.0
    for lat, lon, label, kind, href, tip, weight in sorted(raw, key=lambda r: (r[3] == "event", -r[6])):
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            continue
        x, y = px(lat, lon)
        r = 4 + 2 * min(weight, 5) if kind == "place" else 6 + 8 * math.sqrt(weight / max_w)
        points.append(MapPoint(x, y, round(r, 1), label, kind, href, tip))
    # greedy labels: right of the point, else left, else none (the tooltip still names it)
    placed: list[tuple[float, float, float]] = []  # x0, x1, y
    named: list[tuple[str, float, float]] = []
    for tried, pt in enumerate(sorted(points, key=lambda q: (q.kind != "event", -q.r))):
        if tried >= MAX_LABEL_TRIES:
            pt.show_label = False  # each try checks every point: the rest go without (their tooltip names them)
            continue
        if any(lab == pt.label and abs(x - pt.x) < 30 and abs(y - pt.y) < 30 for lab, x, y in named):
            pt.show_label = False  # the same name already labelled right there (a place and its event)
            continue
        w = 7.0 * len(pt.label) + 4
        for x0, anchor in ((pt.x + pt.r + 3, "start"), (pt.x - pt.r - 3 - w, "end")):
            x1 = x0 + w
            if x0 < 0 or x1 > width:
                continue
            clear_of_points = all(
                q is pt or abs(q.y - pt.y) > q.r + 7 or x1 < q.x - q.r or x0 > q.x + q.r for q in points
            )
            if clear_of_points and all(abs(y - pt.y) > 14 or x1 < a or x0 > b for a, b, y in placed):
                placed.append((x0, x1, pt.y))
                named.append((pt.label, pt.x, pt.y))
                pt.label_x = round(x0 if anchor == "start" else x1, 1)
                pt.anchor = anchor
                break
        else:
            pt.show_label = False
    frame = (fx0, fy0, round(fx1 - fx0, 1), round(fy1 - fy0, 1))
    return MapView(width, height, points, lines, ticks, land, frame, off_map)


# --------------------------------------------------------------------------------------------- events


@dataclass
class EventView:
    event: Event
    title: str
    date: str
    deaths: str
    verdict: str | None
    matches: list[tuple[RecordMatch, str]]


def _events(analysis: Analysis) -> list[EventView]:
    out = []
    for e in sorted(analysis.events, key=lambda e: (e.date is None, e.date or "", e.start)):
        matches = [(m, match_verdict(m)) for m in sorted(e.matches, key=lambda m: -m.score)]
        verdict = matches[0][1] if matches else None
        deaths = ""
        if e.fatalities:
            deaths = _range(e.fatalities.low, e.fatalities.high)
        out.append(EventView(e, event_title(e), event_date_label(e), deaths, verdict, matches))
    return out


# --------------------------------------------------------------------------------------------- assets


@cache
def _asset(name: str) -> str:
    return (resources.files("unspin.render") / "templates" / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def shade(colour: str, factor: float = 0.55) -> str:
    """A darker version of a #rrggbb colour (for underlines that stay visible on the light highlight)."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * factor):02x}" for c in (r, g, b))


def _stylesheet(kinds: list[TechniqueKind]) -> str:
    rules = [_asset("report.css")]
    for t in kinds:
        k, c, d = t.k, t.colour, shade(t.colour)
        rules.append(
            f".t{k}{{background-color:{c};border-bottom-color:{d}}} .sw{k}{{background:{c};border-color:{d}}} "
            f"body.off{k} .t{k}{{background-color:transparent;border-bottom-color:transparent}} "
            f"body.off{k} .pl{k}{{opacity:.45}} "
            f"@media print{{.t{k}{{border-bottom-color:{d}}}}}"
        )
    return "\n".join(rules) + "\n"


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("unspin", "render/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = _pct
    env.filters["number"] = _number
    env.filters["excerpt"] = _excerpt
    env.filters["quantity"] = quantity_label
    env.filters["sentence"] = _sentence
    return env


def _sentence(text: str) -> str:
    """First letter up, the rest untouched (Jinja's `capitalize` would lower-case names and codes)."""
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------------------------- render


PARTS = ("techniques", "sentences", "claims", "quotes", "sources", "events", "places")


def not_run(analysis: Analysis) -> dict[str, str | None]:
    """For each part of the report: why it was not analysed ("not analysed (reason)"), or None when it was.

    A hand-built analysis with no detector runs recorded is taken at its word: empty means none found.
    """
    out: dict[str, str | None] = {}
    for part in PARTS:
        reason = not_analysed(analysis, part)
        out[part] = None if reason is None else not_analysed_text(reason)
    return out


@dataclass
class ClaimGroup:
    paragraph: int
    claims: list[tuple[Claim, str]]  # the claim and its position ("¶3 s2")


@dataclass
class QuoteGroup:
    speaker: str  # "" when no speaker is named
    quotes: list[tuple[Quote, str]]
    verbs: list[str]


def _claim_groups(claims: list[Claim], where: Locator) -> list[ClaimGroup]:
    groups: dict[int, ClaimGroup] = {}
    for c in sorted(claims, key=lambda c: c.start):
        position = where.at(c.start)
        groups.setdefault(position.paragraph, ClaimGroup(position.paragraph, [])).claims.append((c, str(position)))
    return list(groups.values())


def _quote_groups(quotes: list[Quote], where: Locator) -> list[QuoteGroup]:
    groups: dict[str, QuoteGroup] = {}
    for q in quotes:
        group = groups.setdefault(q.speaker or "", QuoteGroup(q.speaker or "", [], []))
        group.quotes.append((q, str(where.at(q.start))))
        if q.verb and q.verb.lower() not in group.verbs:
            group.verbs.append(q.verb.lower())
    return sorted(groups.values(), key=lambda g: (g.speaker == "", -len(g.quotes), g.speaker.lower()))


class _Enclosing:
    """The first quote (in the analysis' order) that holds a span, found by bisection rather than a scan of all
    quotes per span."""

    def __init__(self, quotes: Sequence[Quote]) -> None:
        self.quotes = quotes
        self.order = sorted(range(len(quotes)), key=lambda k: quotes[k].start)
        self.starts = [quotes[k].start for k in self.order]
        # the furthest end of any quote starting at or before each one: a walk back stops once it falls short
        self.reach = list(accumulate((quotes[k].end for k in self.order), max))

    def first(self, start: int, end: int) -> Quote | None:
        if end <= start:
            return None
        best: int | None = None
        j = bisect_right(self.starts, start) - 1
        while j >= 0 and self.reach[j] >= end:
            k = self.order[j]
            if self.quotes[k].end >= end and (best is None or k < best):
                best = k
            j -= 1
        return None if best is None else self.quotes[best]


def build_context(analysis: Analysis, *, show_all: bool = False, all_claims: bool = False) -> dict[str, Any]:
    """Everything the template shows, computed from the analysis alone. `show_all` unfolds every folded list
    and lists every claim; `all_claims` lists the claims outside the selected cut too."""
    doc = analysis.document
    text = doc.text
    labels = sorted(
        {t.technique for t in analysis.techniques},
        key=lambda lab: (lab not in TECHNIQUES, list(TECHNIQUES).index(lab) if lab in TECHNIQUES else 0, lab),
    )
    kinds = {lab: _kind(k, lab) for k, lab in enumerate(labels)}
    ordered = sorted(analysis.techniques, key=lambda t: (t.start, -t.end, t.technique))
    views: list[SpanView] = []
    enclosing = _Enclosing(analysis.quotes)
    for i, t in enumerate(ordered, start=1):
        if not 0 <= t.start <= t.end <= len(text):
            raise ValueError(f"technique span [{t.start}, {t.end}) does not land on a text of length {len(text)}")
        kinds[t.technique].count += 1
        if t.reliability is not None and not kinds[t.technique].reliability:
            kinds[t.technique].reliability = reliability_label(t.reliability)
        evidence = [(s, e, text[s:e]) for s, e in t.evidence if 0 <= s <= e <= len(text)]
        quote = enclosing.first(t.start, t.end)
        quoted = None if quote is None else (quote.speaker or "")
        views.append(SpanView(i, t, kinds[t.technique], text[t.start : t.end], evidence, quoted))
    article = _Article(analysis, views).render()

    total = len(views) or 1
    x = 0.0
    distribution: list[tuple[float, float, TechniqueKind]] = []
    for kind in sorted(kinds.values(), key=lambda t: -t.count):
        w = round(120 * kind.count / total, 2)
        distribution.append((round(x, 2), w, kind))
        x += w
    covered = sum(
        seg.end - seg.start for seg in segments(len(text), [(v.span.start, v.span.end) for v in views]) if seg.covering
    )
    nsent = len(analysis.sentences)
    opinion = sum(1 for s in analysis.sentences if s.subjective)
    sources = sorted(analysis.sources, key=lambda s: (-len(s.mentions), s.name.lower()))
    attributions = Counter((a.text.lower(), a.kind, a.stance) for a in analysis.attributions)
    events = _events(analysis)
    claims, below_cut = selected_claims(analysis, all_claims or show_all)
    where = Locator(analysis)
    css = _stylesheet(list(kinds.values()))
    script = _asset("report.js")
    csp = (
        f"default-src 'none'; style-src '{_sha256(css)}'; script-src '{_sha256(script)}'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    quotes = sorted(quotations(analysis), key=lambda q: q.start)
    speakers = Counter(q.speaker for q in quotes if q.speaker)
    return {
        "a": analysis,
        "doc": doc,
        "url": safe_url(doc.url),
        "title": doc.title
        or _excerpt(next((line for line in text.splitlines() if line.strip()), ""), 100)
        or "Untitled article",
        "kinds": list(kinds.values()),
        "distribution": distribution,
        "views": views,
        "article": article,
        "covered": _pct(covered / len(text)) if text else 0,
        "in_quotes": sum(1 for v in views if v.quoted is not None),
        "nsent": nsent,
        "opinion": opinion,
        "opinion_pct": _pct(opinion / nsent) if nsent else None,
        "claims": claims,
        "top_claims": claims if len(claims) <= FOLD_AFTER else claims[:TOP_CLAIMS],
        "claim_groups": _claim_groups(claims, where) if len(claims) > FOLD_AFTER else [],
        "below_cut": below_cut,
        "unattributed": sum(1 for c in claims if c.attributed is False),
        "quotes": quotes,
        "quote_groups": _quote_groups(quotes, where),
        "fold_quotes": len(quotes) > FOLD_AFTER and not show_all,
        "speakers": speakers,
        "unattributed_quotes": sum(1 for q in quotes if not q.speaker),
        "sources": sources,
        "top_sources": sources if show_all else sources[:MAX_SOURCES],
        "more_sources": [] if show_all else sources[MAX_SOURCES:],
        "fold_passages": len(views) > FOLD_AFTER * 2 and not show_all,
        "show_all": show_all,
        "cautions": cautions(analysis),
        "skip_reasons": skip_reasons(analysis),
        "attributions": sorted(attributions.items(), key=lambda kv: (-kv[1], kv[0])),
        "events": events,
        "matched": [ev for ev in events if ev.matches],
        "disagreeing": sum(1 for ev in events if ev.verdict == "disagrees"),
        "map": build_map(analysis),
        "css": Markup(css),
        "script": Markup(script),
        "csp": csp,
        "text_len": len(text),
        "skipped": not_run(analysis),
    }


_SURROGATE = re.compile("[\ud800-\udfff]")


def render(
    analysis: Analysis,
    *,
    color: bool = False,
    width: int | None = None,
    show_all: bool = False,
    all_claims: bool = False,
) -> str:
    """The report as one HTML string (`color` and `width` are for terminal renderers; ignored).

    Lone surrogates (which cannot be written as UTF-8) become U+FFFD one for one, so offsets still hold.
    """
    context = build_context(analysis, show_all=show_all, all_claims=all_claims)
    page = _environment().get_template("report.html").render(**context)
    return _SURROGATE.sub("\ufffd", page)


__all__ = [
    "Segment",
    "build_context",
    "build_map",
    "match_verdict",
    "not_run",
    "quantity_label",
    "render",
    "safe_url",
    "segments",
]
