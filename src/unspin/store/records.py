"""Recorded events (UCDP GED) in the store: bulk import in batches, idempotent by record id."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Date, Float, Integer, String, and_, delete, func, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from unspin.crosscheck.ged import GedRecord, Window, iter_records
from unspin.errors import BadRecords, StoreBusy
from unspin.store import db

log = logging.getLogger(__name__)

BATCH = 5000


class RecordRow(db.Base):
    __tablename__ = "ged_records"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    date_start: Mapped[dt.date] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date] = mapped_column(Date, index=True)
    side_a: Mapped[str] = mapped_column(String(300))
    side_b: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float] = mapped_column(Float, index=True)
    longitude: Mapped[float] = mapped_column(Float)
    where_coordinates: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(120), index=True)
    best: Mapped[int | None] = mapped_column(Integer, nullable=True)
    low: Mapped[int | None] = mapped_column(Integer, nullable=True)
    high: Mapped[int | None] = mapped_column(Integer, nullable=True)
    type_of_violence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source_file: Mapped[str] = mapped_column(String(500), default="")

    def to_record(self) -> GedRecord:
        return GedRecord(
            id=self.id,
            date_start=self.date_start,
            date_end=self.date_end,
            side_a=self.side_a,
            side_b=self.side_b,
            latitude=self.latitude,
            longitude=self.longitude,
            where_coordinates=self.where_coordinates,
            country=self.country,
            best=self.best,
            low=self.low,
            high=self.high,
            type_of_violence=self.type_of_violence,
        )


@dataclass(frozen=True)
class ImportResult:
    path: str
    rows: int
    new: int
    replaced: int
    seconds: float


def _row(r: GedRecord, source: str) -> dict[str, object]:
    return {
        "id": r.id,
        "date_start": r.date_start,
        "date_end": r.date_end,
        "side_a": r.side_a[:300],
        "side_b": r.side_b[:300],
        "latitude": r.latitude,
        "longitude": r.longitude,
        "where_coordinates": r.where_coordinates[:300],
        "country": r.country[:120],
        "best": r.best,
        "low": r.low,
        "high": r.high,
        "type_of_violence": r.type_of_violence,
        "source_file": source[:500],
    }


def _batches(records: Iterator[GedRecord], size: int) -> Iterator[list[GedRecord]]:
    batch: list[GedRecord] = []
    for r in records:
        batch.append(r)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_records(path: Path, url: str | None = None, batch_size: int = BATCH) -> ImportResult:
    """Stream a GED CSV into the store. Re-importing replaces records with the same id (never duplicates).

    The whole file is validated inside one transaction: a bad row leaves the store as it was.
    """
    import time

    began = time.perf_counter()
    rows = new = replaced = 0
    try:
        with db.session(url) as s, s.begin():
            for batch in _batches(iter_records(path), batch_size):
                by_id = {r.id: r for r in batch}  # a file that repeats an id keeps its last row
                ids = list(by_id)
                existing = set(s.scalars(select(RecordRow.id).where(RecordRow.id.in_(ids))))
                if existing:
                    s.execute(delete(RecordRow).where(RecordRow.id.in_(existing)))
                s.execute(RecordRow.__table__.insert(), [_row(r, str(path)) for r in by_id.values()])  # type: ignore[attr-defined]
                rows += len(batch)
                replaced += len(existing)
                new += len(by_id) - len(existing)
    except SQLAlchemyError as exc:
        if is_busy(exc):
            shown = make_url(url or db.store_url()).render_as_string(hide_password=True)
            raise StoreBusy(f"store busy: another process is writing to it ({shown}); retry") from None
        raise BadRecords(
            f"{path}: could not store records ({type(exc).__name__}: {str(exc).splitlines()[0]})"
        ) from None
    return ImportResult(str(path), rows, new, replaced, round(time.perf_counter() - began, 3))


# PostgreSQL's answers to a writer that met another: deadlock, lock not available (NOWAIT), serialization failure.
BUSY_SQLSTATES = frozenset({"40P01", "55P03", "40001"})


def is_busy(error: SQLAlchemyError) -> bool:
    """SQLite's "database is locked" / "busy", PostgreSQL's lock timeout or lock conflicts: a wait, not a bad file."""
    original = getattr(error, "orig", None)
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    message = str(original or error).lower()
    return isinstance(error, OperationalError) and (
        "locked" in message or "busy" in message or "lock timeout" in message
    )


def has_records(url: str | None = None) -> bool:
    if not db.store_exists(url):
        return False
    try:
        with db.session(url) as s:
            return s.scalar(select(RecordRow.id).limit(1)) is not None
    except SQLAlchemyError:
        return False


def query_records(window: Window, url: str | None = None, limit: int = 100_000) -> list[GedRecord]:
    """Stored records in the window's dates and bounding box (or countries)."""
    stmt = select(RecordRow)
    if window.start:
        stmt = stmt.where(RecordRow.date_end >= window.start)
    if window.end:
        stmt = stmt.where(RecordRow.date_start <= window.end)
    if None not in (window.south, window.north, window.west, window.east):
        in_box = and_(
            RecordRow.latitude.between(window.south, window.north),
            RecordRow.longitude.between(window.west, window.east),
        )
        if window.countries:
            in_box = or_(in_box, func.lower(RecordRow.country).in_(sorted(window.countries)))
        stmt = stmt.where(in_box)
    with db.session(url) as s:
        rows = s.scalars(stmt.limit(limit * 4)).all()
        records = [row.to_record() for row in rows]
    return [r for r in records if window.keeps(r)][:limit]


class StoreRecords:
    """The records imported into a store, as a `RecordSource` for the pipeline."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.name = url

    def records(self, window: Window) -> list[GedRecord]:
        return query_records(window, self.url)

    def check(self) -> None:
        return None


@dataclass(frozen=True)
class Stats:
    count: int
    first: dt.date | None
    last: dt.date | None
    countries: list[tuple[str, int]]
    url: str


def stats(url: str | None = None) -> Stats:
    target = url or db.store_url()
    if not db.store_exists(target):
        return Stats(0, None, None, [], target)
    with db.session(target) as s:
        count = s.scalar(select(func.count()).select_from(RecordRow)) or 0
        first = s.scalar(select(func.min(RecordRow.date_start)))
        last = s.scalar(select(func.max(RecordRow.date_end)))
        countries = s.execute(
            select(RecordRow.country, func.count()).group_by(RecordRow.country).order_by(func.count().desc()).limit(10)
        ).all()
    return Stats(count, first, last, [(c, n) for c, n in countries], target)


def list_records(url: str | None = None, limit: int = 20) -> list[GedRecord]:
    target = url or db.store_url()
    if not db.store_exists(target):
        return []
    with db.session(target) as s:
        rows = s.scalars(select(RecordRow).order_by(RecordRow.date_start, RecordRow.id).limit(limit)).all()
        return [row.to_record() for row in rows]
