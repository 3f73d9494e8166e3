"""UCDP GED CSV records, read row by row.

Only the columns cross-checking needs are kept; rows outside a date window or bounding box are dropped as
they are read, so a file of any size streams in constant memory. A malformed file raises
`BadRecords` with one line naming the file, the row (1 = first data row; the header is line 1 of the file)
and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from unspin.errors import BadRecords

log = logging.getLogger(__name__)

REQUIRED = (
    "id",
    "date_start",
    "date_end",
    "side_a",
    "side_b",
    "latitude",
    "longitude",
    "where_coordinates",
    "country",
    "best",
    "low",
    "high",
)
OPTIONAL = ("type_of_violence", "conflict_name", "where_description", "adm_1", "source_headline", "year")

# GED rows can hold long source texts; the default 128 KiB field limit is too small for some releases,
# but no real field or line comes near these limits: past them the file is not a GED CSV.
MAX_FIELD = 16 * 1024 * 1024
MAX_LINE = 32 * 1024 * 1024
csv.field_size_limit(MAX_FIELD)


@dataclass(frozen=True)
class GedRecord:
    id: str
    date_start: dt.date
    date_end: dt.date
    side_a: str
    side_b: str
    latitude: float
    longitude: float
    where_coordinates: str
    country: str
    best: int | None
    low: int | None
    high: int | None
    type_of_violence: int | None = None

    def fields(self) -> dict[str, str]:
        """The record's main fields as strings, for the JSON output."""
        return {
            "id": self.id,
            "date_start": self.date_start.isoformat(),
            "date_end": self.date_end.isoformat(),
            "side_a": self.side_a,
            "side_b": self.side_b,
            "where_coordinates": self.where_coordinates,
            "country": self.country,
            "latitude": f"{self.latitude:.5f}",
            "longitude": f"{self.longitude:.5f}",
            "best": "" if self.best is None else str(self.best),
            "low": "" if self.low is None else str(self.low),
            "high": "" if self.high is None else str(self.high),
        }


@dataclass(frozen=True)
class Window:
    """Keep records overlapping [start, end] and inside the box (degrees); None = no limit."""

    start: dt.date | None = None
    end: dt.date | None = None
    south: float | None = None
    north: float | None = None
    west: float | None = None
    east: float | None = None
    countries: frozenset[str] | None = None  # GED country names; a record in one of them passes the box test

    def keeps(self, r: GedRecord) -> bool:
        if self.start and r.date_end < self.start:
            return False
        if self.end and r.date_start > self.end:
            return False
        if self.south is None or self.north is None or self.west is None or self.east is None:
            return True
        in_box = self.south <= r.latitude <= self.north and self.west <= r.longitude <= self.east
        return in_box or bool(self.countries and r.country.casefold() in self.countries)


def parse_date(value: str, where: str) -> dt.date:
    text = value.strip()
    # GED releases write "2016-09-17" or "2016-09-17 00:00:00.000"
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else _raise(text)
    except ValueError:
        raise BadRecords(f"{where}: bad date {value!r} (expected YYYY-MM-DD)") from None


def _raise(text: str) -> dt.date:
    raise ValueError(text)


def parse_float(value: str, where: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BadRecords(f"{where}: not a number: {value!r}") from None
    if not low <= number <= high:
        raise BadRecords(f"{where}: {number} is outside {low}..{high}")
    return number


def parse_count(value: str, where: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise BadRecords(f"{where}: not a number of deaths: {value!r}") from None
    if number < 0 or number != int(number):
        raise BadRecords(f"{where}: not a number of deaths: {value!r}")
    return int(number)


def iter_records(path: Path, window: Window | None = None) -> Iterator[GedRecord]:
    """Yield the records of a GED CSV file that the window keeps, validating every row."""
    name = str(path)
    try:
        fh = path.open("r", encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise BadRecords(f"{name}: no such records file") from None
    except OSError as exc:
        raise BadRecords(f"{name}: cannot read records file ({exc.strerror or exc})") from None
    with fh:
        yield from _read(_lines(fh, name), name, window)


def _lines(fh: TextIO, name: str) -> Iterator[str]:
    """Physical lines, refusing binary data and overlong lines instead of reading them into memory."""
    number = 0
    while True:
        line = fh.readline(MAX_LINE)
        if not line:
            return
        number += 1
        if "\x00" in line:
            raise BadRecords(f"{name}: line {number}: binary data, not a CSV text file")
        if len(line) >= MAX_LINE and not line.endswith("\n"):
            raise BadRecords(f"{name}: line {number}: longer than {MAX_LINE // (1024 * 1024)} MiB, not a GED CSV row")
        yield line


def _read(lines: Iterable[str], name: str, window: Window | None) -> Iterator[GedRecord]:
    reader = csv.reader(lines)
    row_number = 0
    try:
        header = next(reader, None)
        if not header:
            raise BadRecords(f"{name}: empty records file (expected a UCDP GED CSV header)")
        index: dict[str, int] = {}
        for i, column in enumerate(header):
            index.setdefault(column.strip(), i)
        missing = [c for c in REQUIRED if c not in index]
        if missing:
            raise BadRecords(f"{name}: not a UCDP GED CSV: missing column(s) {', '.join(missing)}")
        for row in reader:
            row_number += 1
            if not row:
                continue
            record = _record(row, index, f"{name}: row {row_number}")
            if window is None or window.keeps(record):
                yield record
    except csv.Error as exc:
        raise BadRecords(f"{name}: row {row_number + 1}: malformed CSV ({exc})") from None
    except UnicodeDecodeError as exc:
        raise BadRecords(f"{name}: near row {row_number + 1}: not UTF-8 text ({exc.reason})") from None


def _record(row: list[str], index: dict[str, int], where: str) -> GedRecord:
    def get(column: str) -> str:
        i = index[column]
        if i >= len(row):
            raise BadRecords(f"{where}, column {column}: missing value (row too short)")
        return row[i].strip()

    record_id = get("id")
    if not record_id:
        raise BadRecords(f"{where}, column id: empty id")
    start = parse_date(get("date_start"), f"{where}, column date_start")
    end = parse_date(get("date_end"), f"{where}, column date_end")
    if end < start:
        raise BadRecords(f"{where}, column date_end: {end} is before date_start {start}")
    tov = get("type_of_violence") if "type_of_violence" in index and index["type_of_violence"] < len(row) else ""
    return GedRecord(
        id=record_id,
        date_start=start,
        date_end=end,
        side_a=get("side_a"),
        side_b=get("side_b"),
        latitude=parse_float(get("latitude"), f"{where}, column latitude", -90, 90),
        longitude=parse_float(get("longitude"), f"{where}, column longitude", -180, 180),
        where_coordinates=get("where_coordinates"),
        country=get("country"),
        best=parse_count(get("best"), f"{where}, column best"),
        low=parse_count(get("low"), f"{where}, column low"),
        high=parse_count(get("high"), f"{where}, column high"),
        type_of_violence=int(tov) if tov.isdigit() else None,
    )


def read_records(path: Path, window: Window | None = None, limit: int = 100_000) -> list[GedRecord]:
    """The records the window keeps, at most `limit` of them (the earliest read)."""
    kept: list[GedRecord] = []
    for record in iter_records(path, window):
        kept.append(record)
        if len(kept) >= limit:
            log.warning("%s: more than %d records in the window; using the first %d", path, limit, limit)
            break
    return kept
