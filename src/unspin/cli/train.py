"""`unspin train ...`: reproducible training commands (needs the `unspin[train]` extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unspin.cli.common import setup_logging, user_errors

train_app = typer.Typer(
    help="Train the shipped models again (needs: pip install 'unspin[train]').", no_args_is_help=True
)


@train_app.command("techniques")
@user_errors
def train_techniques(
    data: Annotated[Path, typer.Option(help="PTC training split: train-articles/ and train-task-flc-tc.labels.")] = Path(
        "../shared/data/ptc"
    ),
    out: Annotated[Path | None, typer.Option(help="Model folder to write (default: the shipped one).")] = None,
    folds: Annotated[int, typer.Option(help="Cross-validation folds (1: no CV, train only).")] = 5,
    epochs: Annotated[int, typer.Option(help="Training epochs per model.")] = 3,
    seed: Annotated[int, typer.Option(help="Seed for folds, initialisation and shuffling.")] = 13,
    cache: Annotated[Path | None, typer.Option(help="Folder to cache frozen-encoder outputs in.")] = None,
    threads: Annotated[int, typer.Option(help="Torch CPU threads.")] = 2,
) -> None:
    """Persuasion-technique tagger on PTC: k-fold CV, then train on all, export ONNX int8 + thresholds."""
    import json

    from unspin.errors import BadOption

    try:
        from unspin.training import techniques as training
    except ImportError as exc:  # torch & co. are an optional extra
        raise BadOption(f"training needs the train extra: pip install 'unspin[train]' ({exc})") from None
    from unspin.detectors.techniques import MODEL_DIR

    if folds < 1 or epochs < 1:
        raise BadOption("--folds and --epochs must be at least 1")
    setup_logging(True)
    cfg = training.TrainConfig(
        data=data, out=out or MODEL_DIR, folds=folds, epochs=epochs, seed=seed, cache=cache, threads=threads
    )
    try:
        report = training.run(cfg)
    except ImportError as exc:
        raise BadOption(f"training needs the train extra: pip install 'unspin[train]' ({exc})") from None
    typer.echo(json.dumps({k: report[k] for k in ("cv", "cv_folds", "int8_check") if k in report}, indent=2))
