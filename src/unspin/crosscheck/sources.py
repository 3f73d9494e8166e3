"""Where recorded events come from: a `RecordSource` is handed to the pipeline by its caller.

The events detector asks its source for the records near the events it found and never opens a file or a
database itself, so its results depend only on what the caller chose (a CSV file named by the user, the
store, or records held in memory by a test).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from unspin.crosscheck.ged import GedRecord, Window, read_records


@runtime_checkable
class RecordSource(Protocol):
    """Recorded events, queried by window (dates and bounding box)."""

    name: str

    def records(self, window: Window) -> list[GedRecord]:
        """The records inside `window`."""
        ...

    def check(self) -> None:
        """Raise `BadRecords` when the source cannot be read (called even when no event needs matching)."""
        ...


class CsvRecords:
    """A UCDP GED CSV file, streamed row by row on each query (constant memory, any file size)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.name = str(path)

    def records(self, window: Window) -> list[GedRecord]:
        return read_records(self.path, window)

    def check(self) -> None:
        read_records(self.path, Window(), limit=1)


class MemoryRecords:
    """Records already in memory (tests, callers that hold a small set)."""

    def __init__(self, records: Iterable[GedRecord], name: str = "memory") -> None:
        self._records = list(records)
        self.name = name

    def records(self, window: Window) -> list[GedRecord]:
        return [record for record in self._records if window.keeps(record)]

    def check(self) -> None:
        return None
