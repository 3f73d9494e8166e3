"""`unspin export ...`: formats researchers use (PTC labels, CSV)."""

from __future__ import annotations

import typer

export_app = typer.Typer(help="Write predictions in formats researchers use.", no_args_is_help=True)
