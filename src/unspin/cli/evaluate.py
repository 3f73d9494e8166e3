"""`unspin evaluate ptc|subjectivity|checkworthiness`: score against gold files, print JSON."""

from __future__ import annotations

import typer

evaluate_app = typer.Typer(help="Score unspin's detectors against gold files; prints JSON.", no_args_is_help=True)
