"""Records in the store: batched import, idempotent re-import, queries, and the CLI."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from unspin.crosscheck.ged import REQUIRED, Window
from unspin.errors import BadRecords, StoreBusy
from unspin.store import db
from unspin.store import records as stored

GED = Path(__file__).resolve().parents[1] / "fixtures" / "ged_sample.csv"


def test_records_import_is_idempotent(store_url: str) -> None:
    assert not stored.has_records(store_url)
    first = stored.import_records(GED, store_url, batch_size=2)
    assert (first.rows, first.new, first.replaced) == (5, 5, 0)
    again = stored.import_records(GED, store_url, batch_size=2)
    assert (again.rows, again.new, again.replaced) == (5, 0, 5)
    s = stored.stats(store_url)
    assert s.count == 5 and s.first == dt.date(2016, 3, 10) and s.last == dt.date(2016, 9, 17)
    assert s.countries[0] == ("Syria", 4)


def test_records_query_by_window(store_url: str) -> None:
    stored.import_records(GED, store_url)
    window = Window(start=dt.date(2016, 9, 10), end=dt.date(2016, 9, 30), south=34, north=37, west=38, east=42)
    assert sorted(r.id for r in stored.query_records(window, store_url)) == ["900001", "900002"]
    assert sorted(r.id for r in stored.StoreRecords(store_url).records(window)) == ["900001", "900002"]
    (r,) = [r for r in stored.query_records(window, store_url) if r.id == "900001"]
    assert (r.low, r.best, r.high) == (30, 35, 48) and r.side_a == "Government of Syria"


def test_records_bad_file_leaves_store_unchanged(tmp_path: Path, store_url: str) -> None:
    stored.import_records(GED, store_url)
    bad = tmp_path / "bad.csv"
    good_row = "7,2016-09-17,2016-09-17,A,B,35.0,40.4,X,Syria,1,1,1"
    bad.write_text(",".join(REQUIRED) + "\n" + good_row + "\n" + good_row.replace("35.0", "abc") + "\n")
    with pytest.raises(BadRecords, match="row 2, column latitude"):
        stored.import_records(bad, store_url)
    assert stored.stats(store_url).count == 5


def test_records_reading_never_creates_a_store(tmp_path: Path) -> None:
    target = tmp_path / "absent" / "x.db"
    url = f"sqlite:///{target}"
    assert not stored.has_records(url) and stored.stats(url).count == 0 and stored.list_records(url) == []
    assert not target.exists()


def test_records_cli_import_stats_list(tmp_path: Path, store_url: str) -> None:
    env = {**os.environ, "UNSPIN_STORE": store_url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "unspin", "records", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env=env,
        )

    imported = run("import", str(GED))
    assert imported.returncode == 0, imported.stderr
    assert "5 rows read, 5 new, 0 replaced" in imported.stdout
    assert "records: 5" in run("stats").stdout
    listing = run("list", "--limit", "2").stdout.splitlines()
    assert len(listing) == 2 and listing[0].startswith("900005\t")
    missing = run("import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 10 and "no such records file" in missing.stderr and "Traceback" not in missing.stderr


def test_records_import_while_another_writer_holds_the_lock_is_store_busy(store_url: str) -> None:
    """A second writer waits a little (SQLite's busy timeout, PostgreSQL's lock_timeout), then is told the store
    is busy, not that the file is bad; the first writer's work is untouched."""
    stored.import_records(GED, store_url)
    impatient = store_url + ("&options=-c%20lock_timeout%3D200" if "?" in store_url else "?timeout=0.2")
    holder = create_engine(store_url, poolclass=NullPool)
    try:
        with holder.begin() as connection:
            if holder.dialect.name == "sqlite":
                connection.exec_driver_sql("DELETE FROM ged_records WHERE id = '900005'")  # takes the write lock
            else:
                connection.exec_driver_sql("LOCK TABLE ged_records IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(StoreBusy, match="store busy: another process is writing to it"):
                stored.import_records(GED, impatient)
            connection.rollback()
    finally:
        holder.dispose()
        db.dispose(impatient)
    assert stored.stats(store_url).count == 5
