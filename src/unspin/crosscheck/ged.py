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
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from unspin.errors import BadRecords, InputNotFound

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
# The store keeps ids of up to 64 characters; GED ids are short numbers.
MAX_ID = 64
# Dates a record of organised violence can carry.
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)
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
        date = dt.date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else _raise(text)
    except ValueError:
        raise BadRecords(f"{where}: bad date {value!r} (expected YYYY-MM-DD)") from None
    if not EARLIEST <= date <= LATEST:  # date windows around such a date would leave the calendar
        raise BadRecords(f"{where}: date {date} is outside {EARLIEST}..{LATEST}")
    return date


def _raise(text: str) -> dt.date:
    raise ValueError(text)


def parse_float(value: str, where: str, low: float, high: float) -> float:
    text = value.strip()
    # float() also takes "inf", "nan", "1_0" and non-ASCII digits; a coordinate is plain ASCII decimal.
    if not _DECIMAL.fullmatch(text):
        raise BadRecords(f"{where}: not a number: {value!r}")
    number = float(text)
    if not low <= number <= high:
        raise BadRecords(f"{where}: {number} is outside {low}..{high}")
    return number


# A count of deaths: ASCII digits, optionally with a zero fraction as some exports write ("35.0").
_COUNT = re.compile(r"[0-9]{1,12}(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
# No event on record comes near this many deaths; past it a value is an error, and it must fit the store.
MAX_DEATHS = 10_000_000


def parse_count(value: str, where: str) -> int | None:
    text = value.strip()
    if not text:
        return None
    if not _COUNT.fullmatch(text):
        raise BadRecords(f"{where}: not a number of deaths: {value!r}")
    number = int(text.split(".", 1)[0])
    if number > MAX_DEATHS:
        raise BadRecords(f"{where}: {number:,} deaths is not a plausible count (over {MAX_DEATHS:,})")
    return number


def parse_small_int(value: str, where: str) -> int | None:
    """An optional code such as type_of_violence (1, 2 or 3 in GED); empty means unknown."""
    text = value.strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        raise BadRecords(f"{where}: not a small whole number: {value!r}")
    return int(text)


def iter_records(path: Path, window: Window | None = None) -> Iterator[GedRecord]:
    """Yield the records of a GED CSV file that the window keeps, validating every row."""
    from unspin.reading import open_regular

    name = str(path)
    try:
        fd = open_regular(path)  # a FIFO or a device would block or never end
    except InputNotFound as exc:
        if not path.exists():
            raise BadRecords(f"{name}: no such records file") from None
        raise BadRecords(f"records file {exc}") from None
    fh = open(fd, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by the `with` below
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
    if len(record_id) > MAX_ID:
        raise BadRecords(f"{where}, column id: longer than {MAX_ID} characters")
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
        type_of_violence=parse_small_int(tov, f"{where}, column type_of_violence"),
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
