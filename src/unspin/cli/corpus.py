"""`unspin corpus`: analyse many articles into the store, and read the store back."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from unspin.cli.common import user_errors
from unspin.errors import BadOption
from unspin.options import DEFAULT_MAX_BYTES, Options, Runtime

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from unspin.corpus.export import ExportFormat
    from unspin.corpus.runner import RunSummary
    from unspin.corpus.stats import Grouping

corpus_app = typer.Typer(help="Analyse many articles into the store and compare them.", no_args_is_help=True)

STORE_HELP = "SQLAlchemy URL of the store (default: UNSPIN_STORE, else SQLite at ~/.local/share/unspin/unspin.db)."


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip()) if value else ()


def _runtime(store: str | None) -> Runtime:
    runtime = Runtime.from_environment()
    if store:
        from dataclasses import replace

        runtime = replace(runtime, store_url=store)
    return runtime


@corpus_app.command("run")
@user_errors
def run_command(
    sources: Annotated[
        list[str], typer.Argument(help="Folders, glob patterns, .txt/.html files, .jsonl, .csv, .warc or .warc.gz.")
    ],
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", help="Worker processes, each loading the models once (default: the cores)."),
    ] = None,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            help="Run on a Dask cluster: a scheduler address (tcp://host:8786), or 'local' for a LocalCluster "
            "of --workers processes.",
        ),
    ] = None,
    only: Annotated[str | None, typer.Option("--only", help="Run just these detectors (comma-separated).")] = None,
    skip: Annotated[str | None, typer.Option("--skip", help="Detectors not to run (comma-separated).")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Analyse again documents already stored with the same provenance.")
    ] = False,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Try again the sources an earlier run recorded as failed.")
    ] = False,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Refuse an article larger than this.")] = DEFAULT_MAX_BYTES,
    strict: Annotated[
        bool, typer.Option("--strict", help="Record pages that are not articles (or cut short) as failures.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar; the summary only.")] = False,
) -> None:
    """Analyse every article of SOURCES into the store; resumable, failures recorded and passed over."""
    from unspin import detectors
    from unspin.corpus import runner

    if dask is not None and dask != "local" and workers is not None:
        raise BadOption("--workers sizes the local pool or --dask local; a cluster at an address has its own workers")
    if dask is not None and dask != "local" and "://" not in dask and ":" not in dask:
        raise BadOption(f"--dask must be a scheduler address such as tcp://host:8786, or local, not {dask!r}")
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if not 1 <= workers <= 256:
        raise BadOption(f"--workers must be from 1 to 256, not {workers}")
    options = Options(only=_names(only), skip=_names(skip), max_bytes=max_bytes, strict=strict)
    detectors.resolve(options.only, options.skip)  # an unknown detector name fails here, before any work
    runtime = _runtime(store)
    if quiet or not sys.stderr.isatty():
        summary = runner.run(
            sources, options, runtime, workers=workers, force=force, retry_failed=retry_failed, dask=dask
        )
    else:
        summary = _run_with_progress(sources, options, runtime, workers, force, retry_failed, dask)
    _print_summary(summary)


def _run_with_progress(
    sources: list[str], options: Options, runtime: Runtime, workers: int, force: bool, retry_failed: bool,
    dask: str | None,
) -> RunSummary:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from unspin.corpus import runner

    total = runner.count_items(sources, options)
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.2f} docs/s"),
        TextColumn("[red]{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("analysing", total=total, rate=0.0, failed=0)

        def update(summary: RunSummary) -> None:
            rate = summary.seen / summary.seconds if summary.seconds > 0 else 0.0
            bar.update(task, completed=summary.seen, rate=rate, failed=summary.failed)

        return runner.run(
            sources, options, runtime, workers=workers, force=force, retry_failed=retry_failed, progress=update,
            dask=dask,
        )


def _print_summary(summary: RunSummary) -> None:
    lines = [
        f"run {summary.run_id}: stored {summary.stored}, skipped {summary.skipped} (already stored), "
        f"failed {summary.failed}"
        + (f", {summary.not_retried} earlier failures not retried (--retry-failed)" if summary.not_retried else "")
        + f"; {summary.seconds:.1f} s, {summary.rate:.2f} documents stored/s",
        f"store: {_shown(summary.store_url)}; on the {summary.executor}",
    ]
    for source, reason in summary.failures:
        lines.append(f"  failed: {source}: {reason}")
    if summary.failed > len(summary.failures):
        lines.append(f"  ... and {summary.failed - len(summary.failures)} more (unspin corpus status)")
    from unspin.text.control import safe_line

    for line in lines:
        typer.echo(safe_line(line), err=True)


def _shown(url: str) -> str:
    """The store's URL without a password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unparseable URL)"


@corpus_app.command("status")
@user_errors
def status_command(
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """What the store holds: documents, analyses, failures, findings, and the latest runs."""
    if fmt not in ("text", "json"):
        raise BadOption(f"--format must be text or json, not {fmt!r}")
    from unspin.store import corpus, db

    runtime = _runtime(store)
    if db.store_exists(runtime.store):
        counts = corpus.status(corpus.open_store(runtime.store))
    else:  # reading never creates a store
        counts = {
            "documents": 0, "analyses": 0, "failures": 0,
            "findings": {name: 0 for name in corpus.FINDING_TABLES}, "runs": [], "recent_failures": [],
        }
    counts["store"] = _shown(runtime.store)
    if fmt == "json":
        typer.echo(json.dumps(counts, indent=2))
        return
    typer.echo(f"store: {counts['store']}")
    typer.echo(f"documents: {counts['documents']}  analyses: {counts['analyses']}  failures: {counts['failures']}")
    typer.echo("findings: " + ", ".join(f"{name} {n}" for name, n in counts["findings"].items()))
    for run in counts["runs"]:
        typer.echo(
            f"run {run['id']} {run['started']} {run['status']}: stored {run['stored']}, skipped {run['skipped']}, "
            f"failed {run['failed']} ({run['workers']} workers)"
        )
    for failure in counts["recent_failures"]:
        from unspin.text.control import safe_line

        typer.echo(safe_line(f"failed: {failure['source']}: {failure['reason']}"))


def _open_existing(store: str | None) -> Engine:
    """The store named, opened; a SQLite file that does not exist is an error (reading never creates one)."""
    from unspin.errors import InputNotFound
    from unspin.store import corpus, db

    runtime = _runtime(store)
    if not db.store_exists(runtime.store):
        raise InputNotFound(f"no store at {_shown(runtime.store)}: run `unspin corpus run SOURCE...` first")
    return corpus.open_store(runtime.store)


@corpus_app.command("stats")
@user_errors
def stats_command(
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    by: Annotated[str | None, typer.Option("--by", help="Group by site, author or month (default: all together).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, csv or json")] = "text",
) -> None:
    """Compare the stored articles: technique spans per 1,000 words, opinion share, claims, quotes."""
    import csv

    from unspin.corpus import stats

    if by not in (None, "site", "author", "month"):
        raise BadOption(f"--by must be site, author or month, not {by!r}")
    if fmt not in ("text", "csv", "json"):
        raise BadOption(f"--format must be text, csv or json, not {fmt!r}")
    groups = stats.compute(_open_existing(store), cast("Grouping", by))
    if fmt == "json":
        typer.echo(json.dumps({"by": by or "all", "groups": groups}, indent=2, ensure_ascii=False))
        return
    rows = list(stats.flat_rows(groups))
    if fmt == "csv":
        columns = list(rows[0]) if rows else ["group", "articles"]
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Corpus by {by or 'all'}")
    for column in ("group", "articles", "words", "technique spans /1,000 words", "opinion share", "claims/article",
                   "quotes named / unnamed"):
        table.add_column(column)
    for group in groups:
        table.add_row(
            str(group["group"]), str(group["articles"]), str(group["words"]),
            _or_dash(group["technique_spans_per_1000_words"]), _or_dash(group["opinion_share"]),
            _or_dash(group["claims_per_article"]),
            _or_dash(group["quotes_with_named_source"]) + " / " + _or_dash(group["quotes_without_named_source"]),
        )
    Console().print(table)


def _or_dash(value: object) -> str:
    return "not analysed" if value is None else str(value)


@corpus_app.command("export")
@user_errors
def export_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write one file per table into.")],
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv or jsonl")] = "csv",
) -> None:
    """Write the store's tables (documents, techniques, claims, quotes, places, events, failures) to files."""
    from unspin.corpus import export

    if fmt not in ("csv", "jsonl"):
        raise BadOption(f"--format must be csv or jsonl (parquet and ptc are not built yet), not {fmt!r}")
    written = export.export(_open_existing(store), out, cast("ExportFormat", fmt))
    for name, rows in written.items():
        typer.echo(f"{out / f'{name}.{fmt}'}: {rows} rows", err=True)
