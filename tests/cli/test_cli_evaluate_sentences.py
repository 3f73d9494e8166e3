"""`unspin evaluate subjectivity|checkworthiness`: JSON on stdout, --predictions in the input's row order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspin.cli import app
from unspin.models import MODELS_DIR

needs_models = pytest.mark.skipif(
    not all((MODELS_DIR / name / "weights.npz").is_file() for name in ("subjectivity", "checkworthiness"))
    or not (MODELS_DIR / "encoder" / "model.onnx").is_file(),
    reason="sentence models not shipped in this checkout",
)

OPINION = "Frankly, I think this is the most shameful and cowardly decision I have ever seen."
FACT = "The ministry said 1,200 people were evacuated from Kherson on March 3, 2024."
CLAIM = "Unemployment rose to 14.2 percent in 2023, the highest rate since 1994."
THANKS = "Thank you very much."


@needs_models
def test_cli_evaluate_subjectivity_csv_with_predictions_in_row_order(tmp_path: Path) -> None:
    data = tmp_path / "val.csv"
    data.write_text(
        f'Sentence,Label,Solved conflict\n"{OPINION}\n",SUBJ,False\n"{FACT}",OBJ,False\n'
        f'"{OPINION}",SUBJ,False\n"{FACT}\n",OBJ,False\n',
        encoding="utf-8",
    )
    out = tmp_path / "pred.txt"
    result = CliRunner().invoke(app, ["evaluate", "subjectivity", str(data), "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"] == 4
    assert report["macro_f1"] == 1.0
    assert out.read_text(encoding="utf-8").splitlines() == ["SUBJ", "OBJ", "SUBJ", "OBJ"]


@needs_models
def test_cli_evaluate_checkworthiness_tsv_with_predictions_in_row_order(tmp_path: Path) -> None:
    data = tmp_path / "dev.tsv"
    data.write_text(
        f"class_label\tText\tSentence_id\nNo\t{THANKS}\t1\nYes\t{CLAIM}\t2\nNo\t{THANKS}\t3\nYes\t{CLAIM}\t4\n",
        encoding="utf-8",
    )
    out = tmp_path / "pred.txt"
    result = CliRunner().invoke(app, ["evaluate", "checkworthiness", str(data), "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rows"] == 4
    assert report["f1_yes"] == 1.0
    assert out.read_text(encoding="utf-8").splitlines() == ["No", "Yes", "No", "Yes"]


def test_cli_evaluate_checkworthiness_missing_file_is_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "checkworthiness", str(tmp_path / "nope.tsv")])
    assert result.exit_code == 3
    assert "no such file" in result.output
