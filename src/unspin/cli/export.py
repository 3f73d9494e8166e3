"""`unspin export ...`: formats researchers use (PTC labels, CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unspin.cli.common import user_errors

export_app = typer.Typer(help="Write predictions in formats researchers use.", no_args_is_help=True)


@export_app.command("ptc")
@user_errors
def export_ptc(
    articles_dir: Annotated[Path, typer.Argument(help="Folder of article<ID>.txt files (read as UTF-8).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Label file to write: ID, technique, start, end.")],
) -> None:
    """Detected persuasion techniques in the SemEval-2020 Task 11 label format."""
    from unspin.evaluate import ptc

    ptc.write_labels(ptc.predict_articles(ptc.read_articles(articles_dir)), out)
