"""`unspin evaluate ptc|subjectivity|checkworthiness`: score against gold files, print JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unspin.cli.common import user_errors

evaluate_app = typer.Typer(help="Score unspin's detectors against gold files; prints JSON.", no_args_is_help=True)


@evaluate_app.command("ptc")
@user_errors
def evaluate_ptc(
    articles: Annotated[Path, typer.Option(help="Folder of article<ID>.txt files (read as UTF-8).")],
    gold: Annotated[Path, typer.Option(help="Gold PTC labels: ID, technique, start, end (or ID, start, end).")],
    predictions: Annotated[
        Path | None, typer.Option(help="Also write the predicted spans here, in the PTC label format.")
    ] = None,
) -> None:
    """Persuasion techniques: SemEval-2020 Task 11 span (SI) and span+technique F1, per-technique F1."""
    import json

    from unspin.evaluate import ptc

    texts = ptc.read_articles(articles)
    gold_spans = ptc.read_labels(gold)
    pred = ptc.predict_articles(texts)
    if predictions is not None:
        ptc.write_labels(pred, predictions)
    typer.echo(json.dumps(ptc.evaluate(gold_spans, pred, texts), indent=2))


@evaluate_app.command("subjectivity")
@user_errors
def evaluate_subjectivity(
    data: Annotated[
        Path, typer.Argument(help="NewsSD CSV (Sentence,Label) or CheckThat! TSV (sentence_id, sentence, label).")
    ],
    predictions: Annotated[
        Path | None, typer.Option(help="Also write one predicted label (SUBJ/OBJ) per input row, in order.")
    ] = None,
) -> None:
    """Subjectivity per sentence: macro-F1 over SUBJ and OBJ."""
    import json

    from unspin.evaluate.classification import evaluate_subjectivity as run

    typer.echo(json.dumps(run(data, predictions), indent=2))


@evaluate_app.command("checkworthiness")
@user_errors
def evaluate_checkworthiness(
    data: Annotated[Path, typer.Argument(help="CheckThat! TSV: Sentence_id, Text, class_label (any order).")],
    predictions: Annotated[
        Path | None, typer.Option(help="Also write one predicted label (Yes/No) per input row, in order.")
    ] = None,
) -> None:
    """Check-worthiness of sentences: F1 of the Yes class."""
    import json

    from unspin.evaluate.classification import evaluate_checkworthiness as run

    typer.echo(json.dumps(run(data, predictions), indent=2))
