"""Readers of the subjectivity and check-worthiness gold files: CSV with newlines, TSV in any order, joined lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspin.errors import BadOption
from unspin.evaluate.readers import read_checkworthiness, read_subjectivity


def test_readers_newssd_csv_keeps_newlines_inside_quoted_fields(tmp_path: Path) -> None:
    path = tmp_path / "train.csv"
    path.write_text(
        'Sentence,Label,Solved conflict\n"The union, it said, agreed.\n",OBJ,False\n"What a shameful, '
        'cowardly deal.",SUBJ,True\nPlain line,obj,False\n',
        encoding="utf-8",
    )
    rows = read_subjectivity(path)
    assert [r.text for r in rows] == ["The union, it said, agreed.", "What a shameful, cowardly deal.", "Plain line"]
    assert [r.label for r in rows] == ["OBJ", "SUBJ", "OBJ"]


def test_readers_checkthat_subjectivity_tsv_any_column_order(tmp_path: Path) -> None:
    path = tmp_path / "dev.tsv"
    path.write_text("label\tsentence_id\tsentence\nSUBJ\ta1\tThis is awful.\nOBJ\ta2\tIt rained.\n", encoding="utf-8")
    rows = read_subjectivity(path)
    assert [(r.id, r.text, r.label) for r in rows] == [("a1", "This is awful.", "SUBJ"), ("a2", "It rained.", "OBJ")]


def test_readers_checkworthiness_tsv_unquotes_whole_quoted_fields(tmp_path: Path) -> None:
    path = tmp_path / "dev.tsv"
    path.write_text(
        'Sentence_id\tText\tclass_label\n26\t"You know, I saw a movie - ""Crocodile Dundee."""\tNo\n'
        '27\t"Hello," he said.\tYes\n',
        encoding="utf-8",
    )
    rows = read_checkworthiness(path)
    assert rows[0].text == 'You know, I saw a movie - "Crocodile Dundee."'
    assert rows[1].text == '"Hello," he said.'  # a quote inside the text, not CSV quoting
    assert [r.label for r in rows] == ["No", "Yes"]


def test_readers_checkworthiness_columns_in_any_order(tmp_path: Path) -> None:
    path = tmp_path / "x.tsv"
    path.write_text("class_label\tText\tSentence_id\nYes\tTaxes rose 5%.\t1\nNo\tThanks.\t2\n", encoding="utf-8")
    assert [(r.id, r.label) for r in read_checkworthiness(path)] == [("1", "Yes"), ("2", "No")]


def test_readers_checkworthiness_splits_a_line_that_joins_two_records(tmp_path: Path) -> None:
    # The CT24 train file's line 16877: the newline before the second record is missing.
    path = tmp_path / "train.tsv"
    path.write_text(
        "Sentence_id\tText\tclass_label\n1\tFirst.\tYes\n"
        "24098\tWe've got to invest and grow.\tNo29286\tYou can't bring back jobs.\tNo\n3\tLast.\tNo\n",
        encoding="utf-8",
    )
    rows = read_checkworthiness(path)
    assert [(r.id, r.text, r.label) for r in rows] == [
        ("1", "First.", "Yes"),
        ("24098", "We've got to invest and grow.", "No"),
        ("29286", "You can't bring back jobs.", "No"),
        ("3", "Last.", "No"),
    ]


def test_readers_reject_a_malformed_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("Sentence_id\tText\tclass_label\n1\tonly two\n", encoding="utf-8")
    with pytest.raises(BadOption):
        read_checkworthiness(path)


def test_readers_reject_an_unknown_label(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Sentence,Label\nHello.,MAYBE\n", encoding="utf-8")
    with pytest.raises(BadOption):
        read_subjectivity(path)


SHARED = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "checkworthiness" / "CT24_checkworthy_english_train.tsv"
)


@pytest.mark.skipif(not SHARED.is_file(), reason="shared training data not present")
def test_readers_ct24_train_file_has_every_row() -> None:
    rows = read_checkworthiness(SHARED)
    assert len(rows) == 22501
    assert sum(r.label == "Yes" for r in rows) == 5413
    ids = [r.id for r in rows]
    assert "29286" in ids and len(set(ids)) == len(ids)
