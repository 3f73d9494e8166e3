"""Cross-checking: reported events against recorded ones (UCDP GED)."""

from unspin.crosscheck.ged import GedRecord, Window, iter_records, read_records
from unspin.crosscheck.matching import match_event, window_for
from unspin.crosscheck.sources import CsvRecords, MemoryRecords, RecordSource

__all__ = [
    "CsvRecords",
    "GedRecord",
    "MemoryRecords",
    "RecordSource",
    "Window",
    "iter_records",
    "match_event",
    "read_records",
    "window_for",
]
