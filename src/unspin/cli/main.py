"""`unspin analyze` and the command groups."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from unspin.cli.common import setup_logging, user_errors, warn
from unspin.cli.corpus import corpus_app
from unspin.cli.evaluate import evaluate_app
from unspin.cli.export import export_app
from unspin.cli.records import records_app
from unspin.cli.serve import serve_command
from unspin.cli.train import train_app
from unspin.errors import BadOption, InputNotFound, NotAnAnalysis
from unspin.options import DEFAULT_MAX_BYTES, Options, Runtime
from unspin.version import __version__

if TYPE_CHECKING:
    from unspin.analysis import Analysis

app = typer.Typer(
    name="unspin",
    help="Lay out what an article claims, whom it cites, and how it tries to persuade.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(evaluate_app, name="evaluate")
app.add_typer(export_app, name="export")
app.add_typer(train_app, name="train")
app.add_typer(records_app, name="records")
app.add_typer(corpus_app, name="corpus")
app.command("serve")(serve_command)


FORMAT_HELP = "Output format: text, json, html, md or csv (or a format an extension registered)."


def check_format(fmt: str) -> str:
    """Fail fast (exit 2) on an unknown format, before any model is loaded."""
    from unspin import render

    render.get_renderer(fmt)
    return fmt


def split_names(value: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip()) if value else ()


def parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadOption(f"--published must be a date as YYYY-MM-DD, not {value!r}") from None


def write_output(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)  # never leave a half-written report where a good one was


# Options that `analyze` and `render` share, declared once.
OutFile = Annotated[Path | None, typer.Option("--out", "-o", help="Write to FILE instead of standard output.")]
ShowAll = Annotated[bool, typer.Option("--all", help="List every finding: no list of the report is cut short.")]
AllClaims = Annotated[bool, typer.Option("--all-claims", help="List the claims outside the selected cut too.")]


@app.command()
@user_errors
def analyze(
    source: Annotated[str, typer.Argument(help="A file (text or HTML), a URL, or '-' for standard input.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "text",
    out: OutFile = None,
    show_all: ShowAll = False,
    all_claims: AllClaims = False,
    only: Annotated[str | None, typer.Option(help="Run only these detectors (comma-separated).")] = None,
    skip: Annotated[str | None, typer.Option(help="Skip these detectors (comma-separated).")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD, for resolving relative dates.")
    ] = None,
    records: Annotated[
        Path | None, typer.Option(help="UCDP GED CSV of recorded events to cross-check events against.")
    ] = None,
    max_bytes: Annotated[int, typer.Option(help="Refuse input larger than this many bytes.")] = DEFAULT_MAX_BYTES,
    allow_private: Annotated[
        bool, typer.Option(help="Allow URLs that resolve to private, loopback or link-local addresses.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(help="Refuse pages that do not look like articles or whose extracted text may be incomplete."),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress to stderr.")] = False,
) -> None:
    """Analyse one article and render the analysis."""
    from unspin.pipeline import analyze as run_analysis

    setup_logging(verbose)
    check_format(fmt)
    if max_bytes <= 0:
        raise BadOption("--max-bytes must be positive")
    options = Options(
        only=split_names(only),
        skip=split_names(skip),
        published=parse_date(published),
        records=records,
        max_bytes=max_bytes,
        allow_private=allow_private,
        strict=strict,
    )
    with progress(f"analysing {source}", enabled=not verbose):
        analysis = run_analysis(source, options, runtime_for(options))
    for message in analysis.warnings:
        warn(message)
    emit(analysis, fmt, out, show_all, all_claims)


def emit(analysis: Analysis, fmt: str, out: Path | None, show_all: bool, all_claims: bool) -> None:
    """Render and write; colour only for the text report going to a terminal (else flagged words are marked)."""
    from unspin import render

    color = out is None and fmt == "text" and sys.stdout.isatty()
    write_output(render.render(analysis, fmt, color=color, show_all=show_all, all_claims=all_claims), out)


@contextlib.contextmanager
def progress(what: str, *, enabled: bool = True) -> Iterator[None]:
    """A transient spinner with the elapsed time on stderr, only when stderr is a terminal: loading the models
    and parsing a long article takes seconds, and a silent terminal looks hung. Piped or logged output stays
    clean."""
    if not (enabled and sys.stderr.isatty()):
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("unspin: {task.description}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        bar.add_task(what, total=None)
        yield


@app.command("render")
@user_errors
def render_command(
    analysis_file: Annotated[Path, typer.Argument(help="A saved analysis (the JSON of `analyze --format json`).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "text",
    out: OutFile = None,
    show_all: ShowAll = False,
    all_claims: AllClaims = False,
) -> None:
    """Re-render a saved analysis in another format, without loading any model."""
    check_format(fmt)
    emit(read_analysis(analysis_file), fmt, out, show_all, all_claims)


def read_analysis(path: Path) -> Analysis:
    """A saved analysis, validated against the data model (schema 1 or 2); one clear error otherwise."""
    from pydantic import ValidationError

    from unspin.analysis import Analysis

    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise InputNotFound(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        analysis = Analysis.from_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise NotAnAnalysis(
            f"{path} is not an unspin analysis ({first['msg']} at {where}); save one with "
            "`unspin analyze SOURCE --format json --out FILE`"
        ) from None
    if not analysis.schema_.startswith("unspin.analysis/"):
        raise NotAnAnalysis(f"{path} has schema {analysis.schema_!r}, not an unspin analysis")
    return analysis


def runtime_for(options: Options) -> Runtime:
    """The runtime of a command: environment read here, once; events are cross-checked against the `--records`
    file, else against the user's store when it holds imported records."""
    from unspin.crosscheck.sources import CsvRecords

    runtime = Runtime.from_environment()
    if options.records is not None:
        return runtime.with_records(CsvRecords(options.records))
    if "events" in options.skip or (options.only and "events" not in options.only):
        return runtime
    from unspin.store import records as stored

    if stored.has_records(runtime.store):
        return runtime.with_records(stored.StoreRecords(runtime.store))
    return runtime


@app.command("techniques")
@user_errors
def techniques_command(
    list_: Annotated[bool, typer.Option("--list", help="List the techniques with their definitions.")] = True,
) -> None:
    """The persuasion techniques unspin detects, in plain language."""
    from rich.console import Console
    from rich.table import Table

    from unspin.taxonomy import TECHNIQUES

    table = Table(title="Persuasion techniques (PTC / SemEval-2020 Task 11)", show_lines=True)
    table.add_column("Label", style="bold")
    table.add_column("Technique")
    table.add_column("What it is")
    for technique in TECHNIQUES.values():
        table.add_row(technique.label, technique.name, technique.definition)
    Console().print(table)


@app.command("detectors")
def detectors_command() -> None:
    """List the detectors in running order."""
    from unspin import detectors

    for name in detectors.available():
        typer.echo(name)


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"unspin {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """unspin: what an article claims, whom it cites, and how it tries to persuade."""
