"""Readers for the sentence-classification gold files in `../shared/data/` (and their CheckThat! variants).

- NewsSD-ENG CSV (`Sentence,Label[,Solved conflict]`): quoted fields may hold newlines; read with `csv`.
- CheckThat! TSV (`sentence_id, sentence, label` for subjectivity; `Sentence_id, Text, class_label` for
  check-worthiness), columns in any order, one record per line. A line that joins two records (the CT24
  train file's line 16877: `...<TAB>No29286<TAB>You can't bring back jobs.<TAB>No`) is split back in two.
"""

from __future__ import annotations

import csv
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from unspin.errors import BadOption, EmptyInput, InputNotFound

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Row:
    id: str
    text: str
    label: str | None


SUBJECTIVITY_LABELS = ("SUBJ", "OBJ")
CHECKWORTHY_LABELS = ("Yes", "No")

_TEXT_COLUMNS = ("sentence", "text", "tweet_text")
_LABEL_COLUMNS = ("label", "class_label")
_ID_COLUMNS = ("sentence_id", "id", "tweet_id")


def _find(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _unquote(field: str) -> str:
    """Undo CSV quoting of one TSV field, only when the whole field is quoted (inner quotes doubled)."""
    if len(field) >= 2 and field[0] == field[-1] == '"':
        inner = field[1:-1]
        if '"' not in inner.replace('""', ""):
            return inner.replace('""', '"')
    return field


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise InputNotFound(f"no such file: {path}")
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        raise EmptyInput(f"{path} is empty")
    return text


def _normalise_label(value: str, labels: tuple[str, ...]) -> str:
    clean = value.strip()
    for label in labels:
        if clean.lower() == label.lower():
            return label
    raise BadOption(f"unknown label {value!r}; expected one of {', '.join(labels)}")


def read_csv_rows(path: Path, labels: tuple[str, ...]) -> list[Row]:
    """A comma-separated file with a header naming a text column (`Sentence`/`Text`) and maybe a label."""
    reader = csv.reader(_read_text(path).splitlines(keepends=True))
    header = next(reader)
    text_col, label_col, id_col = (
        _find(header, _TEXT_COLUMNS),
        _find(header, _LABEL_COLUMNS),
        _find(header, _ID_COLUMNS),
    )
    if text_col is None:
        raise BadOption(f"{path}: no Sentence/Text column in header {header}")
    rows = []
    for number, fields in enumerate(reader, start=1):
        if not fields or not any(f.strip() for f in fields):
            continue
        label = _normalise_label(fields[label_col], labels) if label_col is not None else None
        rid = fields[id_col] if id_col is not None else str(number)
        rows.append(Row(id=rid, text=fields[text_col].strip(), label=label))
    return rows


def _split_joined(
    fields: list[str], width: int, label_col: int | None, id_col: int | None, labels: tuple[str, ...]
) -> list[list[str]] | None:
    """Split a line that holds two records whose boundary lost its newline; None when it is not that."""
    if len(fields) != 2 * width - 1:
        return None
    glued = fields[width - 1]
    # The glued field is (last column of record 1) + (first column of record 2).
    if label_col == width - 1:
        for label in labels:
            if glued.lower().startswith(label.lower()) and len(glued) > len(label):
                head, tail = glued[: len(label)], glued[len(label) :]
                return [[*fields[: width - 1], head], [tail, *fields[width:]]]
    if id_col == 0:
        match = re.search(r"(\d+)$", glued)
        if match and match.start() > 0:
            head, tail = glued[: match.start()], match.group(1)
            return [[*fields[: width - 1], head], [tail, *fields[width:]]]
    return None


def read_tsv_rows(path: Path, labels: tuple[str, ...]) -> list[Row]:
    """A CheckThat! TSV: header with id, text and (optionally) label columns in any order; one record a line."""
    lines = _read_text(path).splitlines()
    header = lines[0].split("\t")
    width = len(header)
    text_col, label_col, id_col = (
        _find(header, _TEXT_COLUMNS),
        _find(header, _LABEL_COLUMNS),
        _find(header, _ID_COLUMNS),
    )
    if text_col is None:
        raise BadOption(f"{path}: no sentence/Text column in header {header}")
    rows: list[Row] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split("\t")
        records = [fields]
        if len(fields) != width:
            split = _split_joined(fields, width, label_col, id_col, labels)
            if split is None:
                raise BadOption(f"{path}:{number}: expected {width} tab-separated fields, found {len(fields)}")
            log.warning("%s:%d: one line holds two records; split in two", path, number)
            records = split
        for record in records:
            text = _unquote(record[text_col]).strip()
            label = _normalise_label(_unquote(record[label_col]), labels) if label_col is not None else None
            rid = _unquote(record[id_col]).strip() if id_col is not None else str(len(rows) + 1)
            rows.append(Row(id=rid, text=text, label=label))
    return rows


def read_rows(path: Path, labels: tuple[str, ...]) -> list[Row]:
    """CSV or TSV, told apart by the header line (a tab means TSV)."""
    first = _read_text(path).split("\n", 1)[0]
    return read_tsv_rows(path, labels) if "\t" in first else read_csv_rows(path, labels)


def read_subjectivity(path: Path) -> list[Row]:
    return read_rows(Path(path), SUBJECTIVITY_LABELS)


def read_checkworthiness(path: Path) -> list[Row]:
    return read_rows(Path(path), CHECKWORTHY_LABELS)
