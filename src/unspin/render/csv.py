"""One CSV row per finding, for spreadsheets and scripts.

Columns: `kind, start, end, paragraph, sentence, text, label, score, details`. `kind` is one of technique,
sentence, claim, quote, source, attribution, entity, place, date, event; then `not_analysed` rows (the detector
as `label`, "not analysed (reason)" as `details`) and `caution` rows (extraction doubts, page kind, warnings), so
that a file never passes "not analysed" off as "none found". `start`/`end` are offsets into the analysed text
(end exclusive), `paragraph` and `sentence` the reader's numbers (¶ and sentence within it, from 1). Claims are
the `selected` cut unless `all_claims` (or `show_all`).

Article text is untrusted: a text cell that a spreadsheet would read as a formula (starting with =, +, -, @, a
tab or a carriage return) gets a leading apostrophe, the usual defence against CSV formula injection.
"""

from __future__ import annotations

import csv
import io

from unspin.analysis import Analysis
from unspin.render.findings import Row, rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = frozenset({"text", "label", "details"})


def defused(cells: list[str]) -> list[str]:
    """The cells with every text cell that starts like a formula prefixed with an apostrophe."""
    return [
        "'" + cell if name in TEXT_COLUMNS and cell.startswith(FORMULA_STARTS) else cell
        for name, cell in zip(Row.header(), cells, strict=True)
    ]


def render(
    analysis: Analysis,
    *,
    color: bool = False,
    width: int | None = None,
    show_all: bool = False,
    all_claims: bool = False,
) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(Row.header())
    for row in rows(analysis, all_claims=all_claims or show_all):
        writer.writerow(defused(row.cells()))
    return buffer.getvalue()
