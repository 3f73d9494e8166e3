"""Exporting the store for other tools: one file per table, streamed row by row (memory does not grow with it).

Formats (`export(engine, out, fmt)`):
- `csv`: `<table>.csv` with a header row, the table's columns as stored (UTF-8; pandas `read_csv`, R
  `read.csv`). Cells are written as stored, with no spreadsheet formula defusing: the files are data.
- `parquet`: `<table>.parquet` (pyarrow, typed columns: integers, floats, booleans, strings, timestamps;
  pandas `read_parquet`, R `arrow::read_parquet`), written in row groups of `BATCH` rows.
- `jsonl`: `<table>.jsonl`, one object a line, and `analyses.jsonl` the full stored analyses (one per line,
  each re-renderable with `unspin render`).
- `ptc`: the technique spans in the PTC / SemEval-2020 Task 11 format, the form `unspin export ptc` writes and
  `unspin evaluate ptc` reads: `techniques.labels` (`ID<TAB>technique<TAB>start<TAB>end`, one span a line)
  and `articles/article<ID>.txt`, the analysed text each span's offsets index (Python `str` offsets, end
  exclusive; written as UTF-8 with Unix newlines, so reading it with `encoding="utf-8"` gives the same
  offsets). ID is the document id. Only documents whose techniques were analysed are written (each by its
  latest such analysis): an article with no label line had its techniques analysed and none found.

Tables (csv, parquet, jsonl): `documents`, `analyses` (csv and parquet: each analysis's ids, provenance and
sentence counts, not its JSON), one per finding kind (`store.FINDING_TABLES`), and `failures`. Each file is
written to `<name>.part` and then moved into place, so a file that is there is whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Boolean, Column, DateTime, Engine, Float, Integer, Table, select

from unspin.store import corpus as store

if TYPE_CHECKING:
    import pyarrow as pa

ExportFormat = Literal["csv", "parquet", "jsonl", "ptc"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "parquet", "jsonl", "ptc")
BATCH = 10_000
PTC_LABELS = "techniques.labels"
PTC_ARTICLES = "articles"


def tables() -> dict[str, Table]:
    """The tables exported, by file name: documents, analyses, each finding kind, failures."""
    return {
        "documents": store.DocumentRow.__table__,
        "analyses": store.AnalysisRow.__table__,
        **{name: model.__table__ for name, model in store.FINDING_TABLES.items()},
        "failures": store.FailureRow.__table__,
    }


def export(engine: Engine, out: Path, fmt: ExportFormat) -> dict[str, int]:
    """Write the store to `out` in `fmt`; returns the rows (for `ptc`: spans and articles) written per file."""
    out.mkdir(parents=True, exist_ok=True)
    if fmt == "ptc":
        return export_ptc(engine, out)
    written: dict[str, int] = {}
    with engine.connect() as connection:
        for name, table in tables().items():
            if name == "analyses" and fmt == "jsonl":
                continue  # the full analyses follow, in analyses.jsonl
            columns = [c for c in table.columns if not (name == "analyses" and c.name == "analysis")]
            rows = connection.execution_options(yield_per=BATCH).execute(select(*columns).order_by(*table.primary_key))
            target = out / f"{name}.{fmt}"
            if fmt == "parquet":
                written[name] = _write_parquet(target, columns, rows)
            else:
                written[name] = _write_text(target, [c.name for c in columns], rows, fmt)
        if fmt == "jsonl":
            analyses = connection.execution_options(yield_per=200).execute(
                select(store.AnalysisRow.analysis).order_by(store.AnalysisRow.id)
            )
            written["analyses"] = _write_lines(out / "analyses.jsonl", (analysis for (analysis,) in analyses))
    return written


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.datetime) else value


def _write_lines(target: Path, lines: Iterable[str]) -> int:
    part = target.with_name(target.name + ".part")
    count = 0
    with part.open("w", encoding="utf-8", newline="") as stream:
        for line in lines:
            stream.write(line + "\n")
            count += 1
    part.replace(target)
    return count


def _write_text(target: Path, columns: list[str], rows: Iterable[Sequence[Any]], fmt: ExportFormat) -> int:
    if fmt == "jsonl":
        return _write_lines(
            target,
            (json.dumps(dict(zip(columns, map(_plain, row), strict=True)), ensure_ascii=False) for row in rows),
        )
    part = target.with_name(target.name + ".part")
    count = 0
    with part.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_plain(value) for value in row])
            count += 1
    part.replace(target)
    return count


def _arrow_type(column: Column[Any]) -> pa.DataType:
    import pyarrow as pa

    kind = column.type
    if isinstance(kind, Boolean):
        return pa.bool_()
    if isinstance(kind, Integer):
        return pa.int64()
    if isinstance(kind, Float):
        return pa.float64()
    if isinstance(kind, DateTime):
        return pa.timestamp("us")
    return pa.string()


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_parquet(target: Path, columns: list[Column[Any]], rows: Iterable[Sequence[Any]]) -> int:
    """One Parquet file, a row group per BATCH rows; an empty table still gets a file with its schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([pa.field(c.name, _arrow_type(c), nullable=True) for c in columns])
    part = target.with_name(target.name + ".part")
    count = 0
    with pq.ParquetWriter(part, schema) as writer:
        for batch in _batches(rows, BATCH):
            arrays = [pa.array([row[i] for row in batch], type=field.type) for i, field in enumerate(schema)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            count += len(batch)
        if count == 0:
            writer.write_table(schema.empty_table())
    part.replace(target)
    return count


def export_ptc(engine: Engine, out: Path) -> dict[str, int]:
    """`techniques.labels` and `articles/article<ID>.txt` (see the module docstring), written with the label
    writer of `unspin export ptc` (`evaluate.ptc.write_labels`)."""
    from unspin.corpus.stats import latest_analyses
    from unspin.evaluate import ptc

    articles = out / PTC_ARTICLES
    articles.mkdir(parents=True, exist_ok=True)
    latest = latest_analyses(engine, "techniques")
    query = (
        select(store.AnalysisRow.document_id, store.AnalysisRow.analysis)
        .join(latest, latest.c.aid == store.AnalysisRow.id)
        .order_by(store.AnalysisRow.document_id)
    )
    counts = {"articles": 0, "spans": 0}

    def spans() -> Iterator[ptc.LabelSpan]:
        with engine.connect() as connection:
            for document_id, stored in connection.execution_options(yield_per=200).execute(query):
                analysis = json.loads(stored)
                (articles / f"article{document_id}.txt").write_text(
                    analysis["document"]["text"], encoding="utf-8", newline=""
                )
                counts["articles"] += 1
                for span in sorted(analysis["techniques"], key=lambda s: (s["start"], s["end"], s["technique"])):
                    counts["spans"] += 1
                    yield ptc.LabelSpan(document_id, span["technique"], span["start"], span["end"])

    target = out / PTC_LABELS
    part = target.with_name(target.name + ".part")
    ptc.write_labels(spans(), part)
    part.replace(target)
    return {PTC_LABELS: counts["spans"], PTC_ARTICLES: counts["articles"]}
