"""Cross-checking: reported events against recorded ones (UCDP GED)."""

from unspin.crosscheck.ged import GedRecord, Window, iter_records, read_records
from unspin.crosscheck.matching import match_event, window_for

__all__ = ["GedRecord", "Window", "iter_records", "match_event", "read_records", "window_for"]
