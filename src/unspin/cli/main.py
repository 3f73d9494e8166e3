"""`unspin analyze` and the command groups."""

from __future__ import annotations

import datetime as dt
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from unspin.cli.common import setup_logging, user_errors, warn
from unspin.cli.evaluate import evaluate_app
from unspin.cli.export import export_app
from unspin.cli.records import records_app
from unspin.cli.train import train_app
from unspin.errors import BadOption
from unspin.options import DEFAULT_MAX_BYTES, Options, Runtime
from unspin.version import __version__

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


class Format(StrEnum):
    text = "text"
    json = "json"
    html = "html"


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


@app.command()
@user_errors
def analyze(
    source: Annotated[str, typer.Argument(help="A file (text or HTML), a URL, or '-' for standard input.")],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to FILE instead of standard output.")] = None,
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
    from unspin import render
    from unspin.pipeline import analyze as run_analysis

    setup_logging(verbose)
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
    analysis = run_analysis(source, options, runtime_for(options))
    for message in analysis.warnings:
        warn(message)
    color = out is None and fmt is Format.text and sys.stdout.isatty()
    write_output(render.render(analysis, fmt.value, color=color), out)


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
