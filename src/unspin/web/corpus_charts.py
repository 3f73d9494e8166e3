"""Charts of the corpus pages, drawn on the server as SVG geometry: no script, no inline style (the app's
Content-Security-Policy allows neither), nothing fetched. Templates only place the numbers computed here.

The event map is an equirectangular projection fitted to the events, over the offline country outlines of
`render.basemap` (the same Natural Earth outlines as the HTML report's map).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from unspin.render.basemap import outline_paths

BAR_WIDTH = 420.0


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as printed
    width: float  # px, of BAR_WIDTH
    href: str | None = None


def bars(items: list[tuple[str, float]], digits: int = 0, hrefs: dict[str, str] | None = None) -> list[Bar]:
    """Horizontal bars, the longest BAR_WIDTH wide, in the order given."""
    top = max((value for _, value in items), default=0.0) or 1.0
    return [
        Bar(label, value, f"{value:,.{digits}f}", round(BAR_WIDTH * value / top, 1), (hrefs or {}).get(label))
        for label, value in items
    ]


@dataclass(frozen=True)
class Column:
    label: str
    count: int
    x: float
    y: float
    height: float


@dataclass(frozen=True)
class Timeline:
    width: float
    height: float
    base: float  # y of the axis
    columns: list[Column]
    column_width: float
    top: int


def timeline(dates: list[str], width: float = 720.0, height: float = 160.0) -> Timeline | None:
    """Columns of counts per day (a span of up to 62 days) or per month, with empty periods kept (time is to
    scale)."""
    parsed = sorted(d for d in (_date(text) for text in dates) if d is not None)
    if not parsed:
        return None
    first, last = parsed[0], parsed[-1]
    by_day = (last - first).days <= 62
    counted: Counter[str] = Counter(d.isoformat() if by_day else d.isoformat()[:7] for d in parsed)
    periods: list[str] = []
    if by_day:
        periods = [(first + dt.timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    else:
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            periods.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    top = max(counted.values())
    margin, base = 8.0, height - 24.0
    step = (width - 2 * margin) / len(periods)
    columns = []
    for n, period in enumerate(periods):
        h = (base - 8.0) * counted.get(period, 0) / top
        columns.append(
            Column(period, counted.get(period, 0), round(margin + n * step, 1), round(base - h, 1), round(h, 1))
        )
    return Timeline(width, height, base, columns, round(max(step - 2, 1.0), 1), top)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        return None


@dataclass
class MapPoint:
    x: float
    y: float
    r: float
    label: str
    tip: str
    href: str


@dataclass
class EventMap:
    width: float
    height: float
    land: list[tuple[str, str]]
    points: list[MapPoint] = field(default_factory=list)


@dataclass(frozen=True)
class Located:
    lat: float
    lon: float
    label: str
    tip: str
    href: str
    weight: float


def event_map(located: list[Located], width: float = 760.0) -> EventMap | None:
    """Points on coasts and borders, in a frame fitted to them (with a few degrees around)."""
    points = [
        p
        for p in located
        if math.isfinite(p.lat) and math.isfinite(p.lon) and -90 <= p.lat <= 90 and -180 <= p.lon <= 180
    ]
    if not points:
        return None
    pad = 3.0
    lat0, lat1 = max(min(p.lat for p in points) - pad, -90.0), min(max(p.lat for p in points) + pad, 90.0)
    lon0, lon1 = max(min(p.lon for p in points) - pad, -180.0), min(max(p.lon for p in points) + pad, 180.0)
    k = max(math.cos(math.radians((lat0 + lat1) / 2)), 0.2)
    margin = 12.0
    scale = (width - 2 * margin) / ((lon1 - lon0) * k)
    height = (lat1 - lat0) * scale + 2 * margin
    if height > 480:  # a tall frame: cap it and widen the longitudes to keep the map's width filled
        scale = (480 - 2 * margin) / (lat1 - lat0)
        height = 480.0
        extra = ((width - 2 * margin) / (scale * k) - (lon1 - lon0)) / 2
        lon0, lon1 = max(lon0 - extra, -180.0), min(lon1 + extra, 180.0)

    def project(lat: float, lon: float) -> tuple[float, float]:
        return round(margin + (lon - lon0) * k * scale, 1), round(margin + (lat1 - lat) * scale, 1)

    land = outline_paths((lon0 - 1, lat0 - 1, lon1 + 1, lat1 + 1), project)
    heaviest = max((p.weight for p in points), default=0.0) or 1.0
    drawn = [
        MapPoint(
            *project(p.lat, p.lon),
            r=round(4 + 10 * math.sqrt(p.weight / heaviest), 1),
            label=p.label,
            tip=p.tip,
            href=p.href,
        )
        for p in sorted(points, key=lambda p: -p.weight)
    ]
    return EventMap(round(width, 1), round(height, 1), land, drawn)


@dataclass(frozen=True)
class Spread:
    """A claim's appearances over time: one row per site, one dot per article."""

    width: float
    height: float
    rows: list[tuple[str, float]]  # site, y
    dots: list[tuple[float, float, str, str]]  # x, y, tip, href
    ticks: list[tuple[float, str]]


def spread(appearances: list[tuple[str, str | None, str, str]], width: float = 720.0) -> Spread | None:
    """(site, published, tip, href) per article: dated ones placed to scale from the first to the last date."""
    dated = [(site, d, tip, href) for site, text, tip, href in appearances if (d := _date(text)) is not None]
    if not dated:
        return None
    sites: list[str] = []
    for site, *_ in sorted(dated, key=lambda a: a[1]):
        if site not in sites:
            sites.append(site)
    first, last = min(a[1] for a in dated), max(a[1] for a in dated)
    days = max((last - first).days, 1)
    left, right, row_h = 190.0, 20.0, 28.0
    rows = [(site, 20.0 + n * row_h) for n, site in enumerate(sites)]
    y_of = dict(rows)

    def x_of(day: dt.date) -> float:
        return round(left + (width - left - right) * (day - first).days / days, 1)

    dots = [(x_of(d), y_of[site], tip, href) for site, d, tip, href in dated]
    ticks = [(x_of(first), first.isoformat())]
    if last != first:
        ticks.append((x_of(last), last.isoformat()))
    return Spread(width, 20.0 + len(sites) * row_h + 12.0, rows, dots, ticks)
