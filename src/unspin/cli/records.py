"""`unspin records ...`: event records (UCDP GED CSV) kept in the store for cross-checking."""

from __future__ import annotations

import typer

records_app = typer.Typer(help="Import and inspect recorded event datasets (UCDP GED CSV).", no_args_is_help=True)
