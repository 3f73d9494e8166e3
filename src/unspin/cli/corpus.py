"""`unspin corpus`: analyse many articles into the store, and read the store back."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from unspin.cli.common import user_errors
from unspin.errors import BadOption
from unspin.options import DEFAULT_MAX_BYTES, Options, Runtime

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from unspin.corpus.claims import ClaimCluster, ClaimMatch
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
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Refuse an article larger than this.")
    ] = DEFAULT_MAX_BYTES,
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
    sources: list[str],
    options: Options,
    runtime: Runtime,
    workers: int,
    force: bool,
    retry_failed: bool,
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
            sources,
            options,
            runtime,
            workers=workers,
            force=force,
            retry_failed=retry_failed,
            progress=update,
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
            "documents": 0,
            "analyses": 0,
            "failures": 0,
            "findings": {name: 0 for name in corpus.FINDING_TABLES},
            "runs": [],
            "recent_failures": [],
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
    by: Annotated[
        str | None, typer.Option("--by", help="Group by site, author or month (default: all together).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text (or table), csv or json")] = "text",
) -> None:
    """Compare the stored articles: technique rates, opinion share, claims, quotes and sources, events."""
    import csv

    from unspin.corpus import stats

    if by not in (None, "site", "author", "month"):
        raise BadOption(f"--by must be site, author or month, not {by!r}")
    if fmt not in ("text", "table", "csv", "json"):
        raise BadOption(f"--format must be text, table, csv or json, not {fmt!r}")
    groups = stats.compute(_open_existing(store), cast("Grouping", by))
    if fmt == "json":
        typer.echo(json.dumps({"by": by or "all", "groups": groups}, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        from unspin.render.csv import FORMULA_STARTS

        rows = stats.flat_rows(groups)
        for row in rows:  # names from articles: a spreadsheet must not read one as a formula
            for column in ("group", "most_cited_sources"):
                if isinstance(row[column], str) and row[column].startswith(FORMULA_STARTS):
                    row[column] = "'" + row[column]
        columns = list(rows[0]) if rows else ["group", "articles"]
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    _print_stats(groups, by)


STATS_TABLE_GROUPS = 8  # technique columns in the terminal; csv and json hold every group
NOT_ANALYSED = "–"


def _print_stats(groups: list[dict[str, Any]], by: str | None) -> None:
    """Two tables: the measures per group, then technique rates (one column per group, the largest first).
    Every string from the store (site, author, speaker) is shown as plain text: no Rich markup, no controls."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from unspin.text.control import safe_line

    def cell(value: object) -> Text:
        return Text(NOT_ANALYSED if value is None else safe_line(value))

    table = Table(
        title=f"Corpus by {by or 'all'}",
        title_justify="left",
        caption=f"{NOT_ANALYSED} not analysed",
        caption_justify="left",
    )
    for column in (
        "group",
        "articles",
        "words",
        "spans /1k words",
        "opinion share",
        "claims /article",
        "quotes named/unnamed",
        "most-cited sources",
        "events (deaths)",
    ):
        table.add_column(column, overflow="fold")
    for group in groups:
        cited, events = group["most_cited_sources"], group["events"]
        named, unnamed = group["quotes_with_named_source"], group["quotes_without_named_source"]
        table.add_row(
            cell(group["group"]),
            cell(group["articles"]),
            cell(group["words"]),
            cell(group["technique_spans_per_1000_words"]),
            cell(group["opinion_share"]),
            cell(group["claims_per_article"]),
            cell(None if named is None else f"{named}/{unnamed}"),
            cell(None if cited is None else ", ".join(f"{s['name']} ({s['quotes']})" for s in cited[:3]) or "none"),
            cell(None if events is None else f"{events['count']} ({events['fatalities_reported']})"),
        )
    console = Console()
    console.print(table)
    shown = groups[:STATS_TABLE_GROUPS]
    names = sorted({name for g in shown for name in (g["techniques_per_1000_words"] or {})})
    if not names:
        return
    rates = Table(title="Technique spans per 1,000 words", title_justify="left")
    rates.add_column("technique")
    for group in shown:
        rates.add_column(cell(group["group"]), overflow="fold")
    for name in names:
        rates.add_row(
            name,
            *(
                cell(None if g["techniques_per_1000_words"] is None else g["techniques_per_1000_words"].get(name, 0.0))
                for g in shown
            ),
        )
    console.print(rates)
    if len(groups) > len(shown):
        console.print(f"(the {len(shown)} largest of {len(groups)} groups; --format csv or json for all)")


@corpus_app.command("export")
@user_errors
def export_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the files into (made if missing).")],
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, parquet, jsonl or ptc")] = "csv",
) -> None:
    """Write the store's tables (documents, analyses, each finding kind, failures) one file each, or the technique
    spans as PTC labels with the article texts (ptc)."""
    from unspin.corpus import export

    if fmt not in export.FORMATS:
        raise BadOption(f"--format must be one of {', '.join(export.FORMATS)}, not {fmt!r}")
    if out.exists() and not out.is_dir():
        raise BadOption(f"--out must be a folder, and {out} is a file")
    written = export.export(_open_existing(store), out, fmt)
    from unspin.text.control import safe_line

    for name, rows in written.items():
        if fmt == "ptc":
            shown = f"{out / name}: {rows} {'spans' if name == export.PTC_LABELS else 'article texts'}"
        else:
            shown = f"{out / f'{name}.{fmt}'}: {rows} rows"
        typer.echo(safe_line(shown), err=True)


@corpus_app.command("report")
@user_errors
def report_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write (one self-contained page).")],
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    by: Annotated[str, typer.Option("--by", help="Group the outlet charts by site or month.")] = "site",
    site: Annotated[str | None, typer.Option("--site", help="Only this site's articles (its page, by month).")] = None,
) -> None:
    """A self-contained HTML report with charts: technique rates by outlet and over time, opinion share, source
    mix and most-cited sources, claims per article, events over time; offline, no request of any kind."""
    if by not in ("site", "month"):
        raise BadOption(f"--by must be site or month, not {by!r}")
    if out.is_dir():
        raise BadOption(f"--out must be a file, and {out} is a folder")
    from unspin.corpus import report

    engine = _open_existing(store)
    if site is not None and not report.site_articles(engine, site):
        from unspin.errors import InputNotFound

        raise InputNotFound(f"no article from site {site!r} in the store (`unspin corpus stats --by site` lists them)")
    page = report.report_html(engine, by=by, site=site)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.write_text(page, encoding="utf-8")
    part.replace(out)
    typer.echo(f"wrote {out} ({len(page.encode('utf-8')) / 1e6:.1f} MB)", err=True)


@corpus_app.command("claims")
@user_errors
def claims_command(
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    like: Annotated[
        str | None, typer.Option("--like", help="Find where this claim appears instead of listing clusters.")
    ] = None,
    min_articles: Annotated[
        int, typer.Option("--min-articles", help="List claims made in at least this many articles.")
    ] = 2,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many clusters (or matches).")] = 20,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv")] = "table",
) -> None:
    """The same claim across articles: clusters with first appearance, spread and disagreeing numbers."""
    import csv

    from unspin.corpus import claims

    if fmt not in ("table", "json", "csv"):
        raise BadOption(f"--format must be table, json or csv, not {fmt!r}")
    if min_articles < 1:
        raise BadOption(f"--min-articles must be at least 1, not {min_articles}")
    if limit < 1:
        raise BadOption(f"--limit must be at least 1, not {limit}")
    if like is not None and not like.strip():
        raise BadOption("--like needs the text of a claim")
    engine = _open_existing(store)
    if like is not None:
        matches = claims.claims_like(engine, like, limit=limit)
        rows = [match.model_dump() for match in matches]
        if fmt == "json":
            typer.echo(json.dumps({"like": like, "matches": rows}, indent=2, ensure_ascii=False))
            return
        if fmt == "csv":
            columns = ["similarity", "document_id", "site", "published", "url", "title", "start", "end", "text"]
            writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
            return
        _print_matches(like, matches)
        return
    clusters = claims.cluster_claims(engine, min_articles=min_articles, limit=limit)
    if fmt == "json":
        payload = {"clusters": [cluster.model_dump() for cluster in clusters]}
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        flat = list(claims.cluster_rows(clusters))
        columns = list(flat[0]) if flat else ["cluster", "articles", "first_seen", "document_id", "text"]
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(flat)
        return
    _print_clusters(clusters)


def _print_matches(like: str, matches: list[ClaimMatch]) -> None:
    from rich.console import Console
    from rich.table import Table

    from unspin.text.control import safe_line

    table = Table(title=safe_line(f"Where the claim appears: {like}"))
    for column in ("similarity", "site", "published", "document", "claim"):
        table.add_column(column)
    for match in matches:
        table.add_row(
            f"{match.similarity:.2f}",
            safe_line(match.site or "-"),
            match.published or "-",
            match.document_id[:12],
            safe_line(match.text),
        )
    Console().print(table)
    if not matches:
        typer.echo("no stored claim is close to it", err=True)


def _print_clusters(clusters: list[ClaimCluster]) -> None:
    from rich.console import Console
    from rich.table import Table

    from unspin.text.control import safe_line

    table = Table(title="The same claim across articles", show_lines=True)
    for column in ("cluster", "articles", "first seen", "sites", "claim", "numbers that disagree"):
        table.add_column(column)
    for cluster in clusters:
        disagreements = [
            f"{', '.join(n.text for n in d.numbers)} ({d.site or d.document_id[:12]}"
            + (f", {d.published})" if d.published else ")")
            for d in cluster.discrepancies
        ]
        if cluster.discrepancies:
            reference = cluster.discrepancies[0]
            stated = next(v for v in cluster.variants if v.document_id == reference.first_document_id)
            disagreements.insert(
                0,
                f"first: {', '.join(n.text for n in reference.first_numbers)} "
                f"({stated.site or stated.document_id[:12]})",
            )
        table.add_row(
            cluster.id,
            str(cluster.articles),
            (cluster.first_seen or "-") + (" (inferred)" if cluster.first_seen_inferred else ""),
            safe_line(", ".join(cluster.sites) or "-"),
            safe_line(cluster.text),
            "\n".join(safe_line(line) for line in disagreements) or "-",
        )
    Console().print(table)
    if not clusters:
        typer.echo("no claim is made in that many articles", err=True)
