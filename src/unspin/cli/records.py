"""`unspin records ...`: event records (UCDP GED CSV) kept in the store for cross-checking.

The store is `UNSPIN_STORE` (a SQLAlchemy URL) or SQLite at ~/.local/share/unspin/unspin.db. Once records
are imported, `unspin analyze` matches events against them when `--records` is not given.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from unspin.cli.common import user_errors, warn
from unspin.errors import StoreBusy
from unspin.options import Runtime
from unspin.text.control import safe_line

T = TypeVar("T")

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
        store = Runtime.from_environment().store
        result = _with_retries(functools.partial(stored.import_records, path, store, batch_size=batch_size))
        typer.echo(
            f"{result.path}: {result.rows} rows read, {result.new} new, {result.replaced} replaced "
            f"({result.seconds:.1f} s)"
        )


# Seconds to wait before each new try when another process holds the store (SQLite already waits a few
# seconds of its own before reporting "locked"); a failed try leaves the store unchanged, so retrying is safe.
RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)


def _with_retries(action: Callable[[], T]) -> T:
    for delay in RETRY_DELAYS:
        try:
            return action()
        except StoreBusy:
            warn(f"store busy (another import is writing); retrying in {delay:g} s")
            time.sleep(delay)
    return action()  # the last try: StoreBusy now reaches the user as "store busy, retry" (exit 12)


@records_app.command("stats")
@user_errors
def stats() -> None:
    """How many records the store holds, their dates and their main countries."""
    from unspin.store import records as stored

    s = stored.stats(Runtime.from_environment().store)
    typer.echo(f"store: {safe_line(s.url)}")
    typer.echo(f"records: {s.count}")
    if s.count:
        typer.echo(f"dates: {s.first} .. {s.last}")
        typer.echo("countries: " + ", ".join(f"{safe_line(c)} ({n})" for c, n in s.countries))


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


@records_app.command("list")
@user_errors
def list_(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many records (earliest first).")] = 20,
) -> None:
    """Stored records, one per line: id, dates, sides, place, deaths (low-best-high)."""
    from unspin.store import records as stored

    # Every field came from a CSV file someone else wrote: no control character reaches the terminal.
    for r in stored.list_records(Runtime.from_environment().store, limit=limit):
        deaths = f"{_count(r.low)}-{_count(r.best)}-{_count(r.high)}"
        typer.echo(
            f"{safe_line(r.id)}\t{r.date_start}..{r.date_end}\t{safe_line(r.side_a)} v {safe_line(r.side_b)}\t"
            f"{safe_line(r.where_coordinates)} ({r.latitude:.3f}, {r.longitude:.3f})\t{deaths}"
        )
