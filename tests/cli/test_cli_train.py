"""`unspin train techniques` checks its options before it needs torch or the corpus."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from unspin.cli import app


def test_train_techniques_rejects_an_unknown_head_kind(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["train", "techniques", "--data", str(tmp_path), "--out", str(tmp_path / "m"), "--heads", "conv,lstm"]
    )
    assert result.exit_code == 2
    assert "--heads" in result.output and "dilated" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "m").exists()


def test_train_techniques_rejects_an_empty_head_list(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["train", "techniques", "--data", str(tmp_path), "--heads", " , "])
    assert result.exit_code == 2
    assert "--heads" in result.output


def test_ensemble_members_of_one_kind_get_successive_seeds() -> None:
    from unspin.training.techniques import DEFAULT_HEADS, member_seeds

    assert member_seeds(("conv", "conv", "dilated", "attention", "conv"), 13) == [
        ("conv", 13),
        ("conv", 14),
        ("dilated", 13),
        ("attention", 13),
        ("conv", 15),
    ]
    assert len(member_seeds(DEFAULT_HEADS, 7)) == len(DEFAULT_HEADS)
