"""`unspin train ...`: reproducible training commands (needs the `unspin[train]` extra)."""

from __future__ import annotations

import typer

train_app = typer.Typer(help="Train the shipped models again (needs: pip install 'unspin[train]').", no_args_is_help=True)
