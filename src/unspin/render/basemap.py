"""Coastlines and country borders for the report's map, offline.

The outlines are the country polygons of Natural Earth at 1:110 million (public domain), as shipped in the
`countryinfo` package (each country's file carries a `geoJSON` feature). They are read once per process, clipped
to the map's frame and thinned to what shows at the map's scale, so a report carries a few kilobytes of paths,
and no tile server or network request is ever involved. Small islands and micro-states absent at that scale are
simply not drawn.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

log = logging.getLogger(__name__)

Ring = list[tuple[float, float]]  # (lon, lat) pairs, closed implicitly


@dataclass(frozen=True)
class Country:
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    bbox: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1


def _rings(geometry: dict[str, object]) -> list[Ring]:
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    out: list[Ring] = []
    for polygon in polygons if isinstance(polygons, list) else []:
        for ring in polygon:  # outer ring, then holes: filled with the even-odd rule
            points = [(float(p[0]), float(p[1])) for p in ring if len(p) >= 2]
            if len(points) >= 3:
                out.append(points)
    return out


@cache
def countries() -> tuple[Country, ...]:
    """Every country outline the package ships; empty (and logged) when the package is missing or unreadable."""
    try:
        folder = resources.files("countryinfo") / "data"
        files = [f for f in folder.iterdir() if f.name.endswith(".json")]
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError) as exc:
        log.warning("no country outlines for the map (%s); drawing points only", exc)
        return ()
    out: list[Country] = []
    for file in sorted(files, key=lambda f: f.name):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        collection = data.get("geoJSON") if isinstance(data, dict) else None
        features = collection.get("features", []) if isinstance(collection, dict) else []
        rings = [ring for feature in features for ring in _rings(feature.get("geometry") or {})]
        if not rings:
            continue
        lons = [x for ring in rings for x, _ in ring]
        lats = [y for ring in rings for _, y in ring]
        out.append(
            Country(
                str(data.get("name", file.name)),
                tuple(tuple(r) for r in rings),
                (min(lons), min(lats), max(lons), max(lats)),
            )
        )
    return tuple(out)


def clip(ring: Iterable[tuple[float, float]], box: tuple[float, float, float, float]) -> Ring:
    """Sutherland–Hodgman: the part of a polygon ring inside an axis-aligned box (edges along the box may appear;
    the map draws them outside its visible frame)."""
    lon0, lat0, lon1, lat1 = box
    edges: list[
        tuple[
            Callable[[tuple[float, float]], bool],
            Callable[[tuple[float, float], tuple[float, float]], tuple[float, float]],
        ]
    ] = []

    def cross_x(x: float) -> Callable[[tuple[float, float], tuple[float, float]], tuple[float, float]]:
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def cross_y(y: float) -> Callable[[tuple[float, float], tuple[float, float]], tuple[float, float]]:
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    edges.append((lambda p: p[0] >= lon0, cross_x(lon0)))
    edges.append((lambda p: p[0] <= lon1, cross_x(lon1)))
    edges.append((lambda p: p[1] >= lat0, cross_y(lat0)))
    edges.append((lambda p: p[1] <= lat1, cross_y(lat1)))
    points = list(ring)
    for inside, cross in edges:
        if not points:
            break
        kept: Ring = []
        previous = points[-1]
        for current in points:
            if inside(current):
                if not inside(previous):
                    kept.append(cross(previous, current))
                kept.append(current)
            elif inside(previous):
                kept.append(cross(previous, current))
            previous = current
        points = kept
    return points


def outline_paths(
    box: tuple[float, float, float, float],
    project: Callable[[float, float], tuple[float, float]],
    min_step: float = 1.5,
) -> list[tuple[str, str]]:
    """(country name, SVG path data) for each country inside `box` (lon0, lat0, lon1, lat1), projected with
    `project(lat, lon) -> (x, y)` and thinned: a point closer than `min_step` pixels to the last one kept is
    dropped."""
    lon0, lat0, lon1, lat1 = box
    out: list[tuple[str, str]] = []
    for country in countries():
        c0, a0, c1, a1 = country.bbox
        if c1 < lon0 or c0 > lon1 or a1 < lat0 or a0 > lat1:
            continue
        parts: list[str] = []
        for ring in country.rings:
            clipped = clip(ring, box)
            if len(clipped) < 3:
                continue
            kept: list[tuple[float, float]] = []
            for lon, lat in clipped:
                x, y = project(lat, lon)
                if kept and abs(x - kept[-1][0]) < min_step and abs(y - kept[-1][1]) < min_step:
                    continue
                kept.append((x, y))
            if len(kept) < 3:
                continue
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in kept) + "Z")
        if parts:
            out.append((country.name, "".join(parts)))
    return out


__all__ = ["Country", "clip", "countries", "outline_paths"]
