"""`unspin records ...`: event records (UCDP GED CSV) kept in the store for cross-checking.

The store is `UNSPIN_STORE` (a SQLAlchemy URL) or SQLite at ~/.local/share/unspin/unspin.db. Once records
are imported, `unspin analyze` matches events against them when `--records` is not given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from unspin.cli.common import user_errors
from unspin.options import Runtime

records_app = typer.Typer(help="Import and inspect recorded event datasets (UCDP GED CSV).", no_args_is_help=True)


@records_app.command("import")
@user_errors
def import_(
    files: Annotated[list[Path], typer.Argument(help="UCDP GED CSV file(s); read row by row, any size.")],
    batch_size: Annotated[int, typer.Option(min=1, help="Rows written per transaction batch.")] = 5000,
) -> None:
    """Load GED records into the store. Re-importing a file replaces records by id; nothing is duplicated."""
    from unspin.store import records as stored

    for path in files:
        result = stored.import_records(path, Runtime.from_environment().store, batch_size=batch_size)
        typer.echo(
            f"{result.path}: {result.rows} rows read, {result.new} new, {result.replaced} replaced "
            f"({result.seconds:.1f} s)"
        )


@records_app.command("stats")
@user_errors
def stats() -> None:
    """How many records the store holds, their dates and their main countries."""
    from unspin.store import records as stored

    s = stored.stats(Runtime.from_environment().store)
    typer.echo(f"store: {s.url}")
    typer.echo(f"records: {s.count}")
    if s.count:
        typer.echo(f"dates: {s.first} .. {s.last}")
        typer.echo("countries: " + ", ".join(f"{c} ({n})" for c, n in s.countries))


@records_app.command("list")
@user_errors
def list_(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many records (earliest first).")] = 20,
) -> None:
    """Stored records, one per line: id, dates, sides, place, deaths (low-best-high)."""
    from unspin.store import records as stored

    for r in stored.list_records(Runtime.from_environment().store, limit=limit):
        deaths = (
            f"{r.low if r.low is not None else '?'}-{r.best if r.best is not None else '?'}-"
            f"{r.high if r.high is not None else '?'}"
        )
        typer.echo(
            f"{r.id}\t{r.date_start}..{r.date_end}\t{r.side_a} v {r.side_b}\t{r.where_coordinates} "
            f"({r.latitude:.3f}, {r.longitude:.3f})\t{deaths}"
        )
