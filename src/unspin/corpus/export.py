"""Exporting the store: one file per table (documents, each finding kind, failures), streamed row by row.

CSV files hold the table's columns; JSON Lines holds the same rows as objects, and `analyses.jsonl` the full
stored analyses (one per line, re-renderable with `unspin render`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, Table, select

from unspin.store import corpus as store

ExportFormat = Literal["csv", "jsonl"]
TABLES: dict[str, type[Any]] = {
    "documents": store.DocumentRow,
    **store.FINDING_TABLES,
    "failures": store.FailureRow,
}


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def export(engine: Engine, out: Path, fmt: ExportFormat) -> dict[str, int]:
    """Write each table to `out/<table>.<fmt>` (written to a .part file, then moved); returns rows per file."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    with engine.connect() as connection:
        for name, model in TABLES.items():
            table: Table = model.__table__
            rows = connection.execution_options(yield_per=1000).execute(select(table).order_by(*table.primary_key))
            written[name] = _write(out / f"{name}.{fmt}", [c.name for c in table.columns], rows, fmt)
        if fmt == "jsonl":
            analyses = connection.execution_options(yield_per=200).execute(
                select(store.AnalysisRow.analysis).order_by(store.AnalysisRow.id)
            )
            target = out / "analyses.jsonl"
            part = target.with_name(target.name + ".part")
            count = 0
            with part.open("w", encoding="utf-8") as stream:
                for (analysis,) in analyses:
                    stream.write(analysis + "\n")
                    count += 1
            part.replace(target)
            written["analyses"] = count
    return written


def _write(target: Path, columns: list[str], rows: Any, fmt: ExportFormat) -> int:
    part = target.with_name(target.name + ".part")
    count = 0
    with part.open("w", encoding="utf-8", newline="") as stream:
        if fmt == "csv":
            writer = csv.writer(stream)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([_plain(value) for value in row])
                count += 1
        else:
            for row in rows:
                stream.write(json.dumps(dict(zip(columns, map(_plain, row), strict=True)), ensure_ascii=False) + "\n")
                count += 1
    part.replace(target)
    return count
