"""`unspin train ...`: reproducible training commands (needs the `unspin[train]` extra)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Annotated

import typer

from unspin.cli.common import setup_logging, user_errors

# Training writes here unless told otherwise: never into the installed package. To ship a model, train with
# `--out src/unspin/models/NAME` in a checkout (the model cards say so).
TRAINED = Path("trained")

train_app = typer.Typer(
    help="Train the shipped models again (needs: pip install 'unspin[train]').", no_args_is_help=True
)


@train_app.command("techniques")
@user_errors
def train_techniques(
    data: Annotated[
        Path, typer.Option(help="PTC training split: train-articles/ and train-task-flc-tc.labels.")
    ] = Path("../shared/data/ptc"),
    out: Annotated[
        Path, typer.Option(help="Model folder to write (ship it with --out src/unspin/models/techniques).")
    ] = TRAINED / "techniques",
    folds: Annotated[int, typer.Option(help="Cross-validation folds (1: no CV, train only).")] = 5,
    epochs: Annotated[int, typer.Option(help="Training epochs per model.")] = 6,
    seed: Annotated[int, typer.Option(help="Seed for folds, initialisation and shuffling.")] = 13,
    cache: Annotated[Path | None, typer.Option(help="Folder to cache frozen-encoder outputs in.")] = None,
    threads: Annotated[int, typer.Option(help="Torch CPU threads.")] = 2,
    heads: Annotated[
        str, typer.Option(help="Comma-separated head kinds to train and average: conv, dilated, attention, gru.")
    ] = "gru",
) -> None:
    """Persuasion-technique tagger on PTC: k-fold CV, then train on all, export ONNX int8 + thresholds."""
    import json

    from unspin.errors import BadOption

    try:
        from unspin.training import techniques as training
    except ImportError as exc:  # torch & co. are an optional extra
        raise BadOption(f"training needs the train extra: pip install 'unspin[train]' ({exc})") from None
    if folds < 1 or epochs < 1:
        raise BadOption("--folds and --epochs must be at least 1")
    kinds = tuple(k.strip() for k in heads.split(",") if k.strip())
    unknown = sorted(set(kinds) - set(training.HEAD_KINDS))
    if not kinds or unknown:
        raise BadOption(f"--heads takes a comma-separated list of {', '.join(training.HEAD_KINDS)}; got {heads!r}")
    setup_logging(True)
    cfg = training.TrainConfig(
        data=data,
        out=out,
        folds=folds,
        epochs=epochs,
        seed=seed,
        cache=cache,
        threads=threads,
        heads=kinds,
    )
    try:
        report = training.run(cfg)
    except ImportError as exc:
        raise BadOption(f"training needs the train extra: pip install 'unspin[train]' ({exc})") from None
    typer.echo(json.dumps({k: report[k] for k in ("cv", "cv_folds", "int8_check") if k in report}, indent=2))


def _train_module(name: str) -> ModuleType:
    from unspin.errors import BadOption

    try:
        import sklearn  # noqa: F401
    except ImportError as exc:  # scikit-learn is in the train extra
        raise BadOption(f"training needs the train extra: pip install 'unspin[train]' ({exc})") from None
    import importlib

    return importlib.import_module(f"unspin.training.{name}")


@train_app.command("encoder")
@user_errors
def train_encoder(
    out: Annotated[Path, typer.Option(help="Folder to write model.onnx and tokenizer.json to.")] = TRAINED / "encoder",
    layers: Annotated[int, typer.Option(help="Transformer layers to keep (of 6).")] = 2,
) -> None:
    """Export the shared sentence encoder (all-MiniLM-L6-v2, first layers) to ONNX, dynamic int8 (needs torch)."""
    from unspin.errors import BadOption

    setup_logging(True)
    try:
        from unspin.training import encoder
    except ImportError as exc:
        raise BadOption(f"training needs the train extra: pip install 'unspin[train]' ({exc})") from None
    try:
        path = encoder.export_encoder(out, layers)
    except ImportError as exc:
        raise BadOption(f"training needs the train extra: pip install 'unspin[train]' ({exc})") from None
    typer.echo(str(path))


@train_app.command("subjectivity")
@user_errors
def train_subjectivity(
    data: Annotated[Path, typer.Argument(help="NewsSD-ENG training CSV.")] = Path(
        "../shared/data/subjectivity/train.csv"
    ),
    val: Annotated[Path | None, typer.Option(help="Validation file, only scored after training.")] = None,
    out: Annotated[
        Path, typer.Option(help="Model folder to write (ship it with --out src/unspin/models/subjectivity).")
    ] = TRAINED / "subjectivity",
    ptc: Annotated[
        Path | None, typer.Option(help="PTC training split, for the auxiliary persuasive-language feature.")
    ] = Path("../shared/data/ptc"),
    no_ptc: Annotated[bool, typer.Option("--no-ptc", help="Train without the PTC feature.")] = False,
    extra: Annotated[
        list[Path] | None,
        typer.Option(help="More labelled sentences to train on (NewsSD CSV or CheckThat! TSV); repeatable."),
    ] = None,
) -> None:
    """Subjectivity model: CV on train (+ --extra) picks features, C and threshold; writes numpy weights."""
    import json

    setup_logging(True)
    module = _train_module("subjectivity")
    report = module.train(data, out, val, None if no_ptc else ptc, tuple(extra or ()))
    typer.echo(json.dumps({k: v for k, v in report.items() if k != "cv_table"}, indent=2))


@train_app.command("checkworthiness")
@user_errors
def train_checkworthiness(
    data: Annotated[Path, typer.Argument(help="CheckThat! 2024 English training TSV.")] = Path(
        "../shared/data/checkworthiness/CT24_checkworthy_english_train.tsv"
    ),
    dev: Annotated[Path | None, typer.Option(help="Dev file, only scored after training.")] = None,
    out: Annotated[
        Path, typer.Option(help="Model folder to write (ship it with --out src/unspin/models/checkworthiness).")
    ] = TRAINED / "checkworthiness",
) -> None:
    """Check-worthiness model (train subjectivity first): CV on train picks C, features and threshold."""
    import json

    setup_logging(True)
    module = _train_module("checkworthiness")
    report = module.train(data, out, dev)
    typer.echo(json.dumps({k: v for k, v in report.items() if k != "cv_table"}, indent=2))


@train_app.command("news-claims")
@user_errors
def train_news_claims(
    gold: Annotated[
        list[Path], typer.Argument(help="Folders of claims gold (benchmarks/realnews/gold/claims*), one per batch.")
    ],
    data: Annotated[Path, typer.Option(help="The realnews data folder (ground-truth.json).")] = Path(
        "../shared/data/realnews"
    ),
    out: Annotated[
        Path, typer.Option(help="Model folder to write (ship it with --out src/unspin/models/checkworthiness/news).")
    ] = TRAINED / "news-claims",
) -> None:
    """News ranker of claims (train checkworthiness first): leave-one-batch-out CV over hand-annotated real pages."""
    import json

    setup_logging(True)
    module = _train_module("news_claims")
    report = module.train(gold, data, out)
    typer.echo(json.dumps({k: v for k, v in report.items() if k != "calibration"}, indent=2))
