"""The terminal report (Rich): a summary, highlighted excerpts and tables of findings."""

from __future__ import annotations

import io
from collections import Counter

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from unspin.analysis import Analysis, TechniqueSpan
from unspin.taxonomy import TECHNIQUES
from unspin.text.control import safe_line

EXCERPT_CONTEXT = 60
MAX_ROWS = 15


def render(analysis: Analysis, *, color: bool = False, width: int | None = None) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width or 110, highlight=False, soft_wrap=False
    )
    for part in sections(analysis):
        console.print(part)
        console.print()
    return buffer.getvalue()


def sections(analysis: Analysis) -> list[RenderableType]:
    parts: list[RenderableType] = [summary(analysis)]
    if analysis.warnings:
        warnings = Text("\n".join(safe_line(warning) for warning in analysis.warnings))
        parts.append(Panel(warnings, title="Warnings", border_style="yellow", box=box.ROUNDED))
    if analysis.techniques:
        parts.append(technique_table(analysis))
        parts.append(excerpts(analysis))
    if analysis.claims:
        parts.append(claims_table(analysis))
    if analysis.quotes:
        parts.append(quotes_table(analysis))
    if analysis.sources:
        parts.append(sources_table(analysis))
    if analysis.events:
        parts.append(events_table(analysis))
    return parts


def summary(analysis: Analysis) -> Panel:
    doc = analysis.document
    lines = Text()
    lines.append(safe_line(doc.title or "(untitled)"), style="bold")
    meta = [safe_line(value) for value in (doc.author, doc.site, doc.published, doc.url or doc.source) if value]
    if meta:
        lines.append("\n" + " · ".join(meta), style="dim")
    words = len(doc.text.split())
    opinion = [s for s in analysis.sentences if s.subjective]
    facts = [
        f"{words:,} words",
        f"{len(analysis.techniques)} technique spans",
        f"{len(opinion)}/{len(analysis.sentences)} sentences opinion" if analysis.sentences else None,
        f"{len(analysis.claims)} claims",
        f"{len(analysis.quotes)} quotes",
        f"{len(analysis.sources)} sources",
        f"{len(analysis.events)} events" if analysis.events else None,
    ]
    lines.append("\n" + " · ".join(fact for fact in facts if fact))
    return Panel(lines, title="unspin", box=box.ROUNDED)


def technique_name(label: str) -> str:
    technique = TECHNIQUES.get(label)
    return technique.name if technique else safe_line(label)


def technique_table(analysis: Analysis) -> Table:
    table = Table(title="Persuasion techniques", box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("Technique")
    table.add_column("Spans", justify="right")
    table.add_column("Top score", justify="right")
    table.add_column("What it is", overflow="fold")
    counts = Counter(span.technique for span in analysis.techniques)
    for label, count in counts.most_common():
        top = max(span.score for span in analysis.techniques if span.technique == label)
        definition = TECHNIQUES[label].definition if label in TECHNIQUES else ""
        table.add_row(Text(technique_name(label)), str(count), f"{top:.0%}", definition)
    return table


def excerpt(text: str, span: TechniqueSpan) -> Text:
    left = max(0, span.start - EXCERPT_CONTEXT)
    right = min(len(text), span.end + EXCERPT_CONTEXT)
    out = Text("…" if left else "")
    out.append(safe_line(text[left : span.start]))
    out.append(safe_line(text[span.start : span.end]), style="bold black on yellow")
    out.append(safe_line(text[span.end : right]))
    if right < len(text):
        out.append("…")
    return out


def excerpts(analysis: Analysis) -> Table:
    table = Table(title="Strongest examples", box=box.SIMPLE, title_justify="left", show_header=True)
    table.add_column("Technique", no_wrap=True)
    table.add_column("Score", justify="right")
    table.add_column("Where", justify="right", style="dim")
    table.add_column("Excerpt", overflow="fold")
    for span in sorted(analysis.techniques, key=lambda s: -s.score)[:MAX_ROWS]:
        table.add_row(
            Text(technique_name(span.technique)),
            f"{span.score:.0%}",
            f"{span.start}–{span.end}",
            excerpt(analysis.document.text, span),
        )
    return table


def claims_table(analysis: Analysis) -> Table:
    table = Table(title="Check-worthy claims (best first)", box=box.SIMPLE, title_justify="left")
    table.add_column("Score", justify="right")
    table.add_column("Claim", overflow="fold")
    table.add_column("Quantities", overflow="fold")
    table.add_column("Source?", no_wrap=True)
    for claim in analysis.claims[:MAX_ROWS]:
        quantities = ", ".join(_quantity(q.text, q.comparator, q.value, q.low, q.unit) for q in claim.quantities)
        attributed = {True: "cited", False: "[red]unattributed[/red]", None: ""}[claim.attributed]
        table.add_row(f"{claim.checkworthiness:.0%}", Text(safe_line(claim.text)), Text(safe_line(quantities)), attributed)
    return table


def _quantity(text: str, comparator: str, value: float | None, low: float | None, unit: str | None) -> str:
    number = value if value is not None else low
    if number is None:
        return text
    shown = f"{number:,.0f}" if float(number).is_integer() else f"{number:,g}"
    return f"{text} ({comparator if comparator != '=' else ''}{shown}{' ' + unit if unit else ''})"


def quotes_table(analysis: Analysis) -> Table:
    table = Table(title="Quotes", box=box.SIMPLE, title_justify="left")
    table.add_column("Speaker", no_wrap=True)
    table.add_column("Verb", style="dim")
    table.add_column("Kind", style="dim")
    table.add_column("Quote", overflow="fold")
    for quote in analysis.quotes[: MAX_ROWS * 2]:
        table.add_row(
            Text(safe_line(quote.speaker or "?")),
            Text(safe_line(quote.verb or "")),
            Text(safe_line(quote.kind)),
            Text(safe_line(quote.text)),
        )
    return table


def sources_table(analysis: Analysis) -> Table:
    table = Table(title="Sources", box=box.SIMPLE, title_justify="left")
    table.add_column("Source")
    table.add_column("Kind", style="dim")
    table.add_column("Mentions", justify="right")
    for source in sorted(analysis.sources, key=lambda s: -len(s.mentions))[: MAX_ROWS * 2]:
        table.add_row(Text(safe_line(source.name)), Text(safe_line(source.kind)), str(len(source.mentions)))
    return table


def events_table(analysis: Analysis) -> Group:
    table = Table(title="Events", box=box.SIMPLE, title_justify="left")
    for column in ("Date", "Action", "Actor", "Target", "Place", "Killed", "Record"):
        table.add_column(column, overflow="fold")
    notes: list[Text] = []
    for event in analysis.events:
        killed = ""
        if event.fatalities:
            low, high = event.fatalities.low, event.fatalities.high
            killed = str(low) if low == high else f"{low or 0}–{high if high is not None else '?'}"
        record = ""
        if event.matches:
            best = event.matches[0]
            record = f"{safe_line(best.id)} ({'agrees' if not best.discrepancies else 'DISAGREES'})"
            for note in best.discrepancies:
                notes.append(Text(safe_line(f"• {event.date or '?'} {event.action}: {note}"), style="red"))
        table.add_row(
            Text(safe_line(event.date or "")),
            Text(safe_line(event.action)),
            Text(safe_line(event.actor or "")),
            Text(safe_line(event.target or "")),
            Text(safe_line(event.place or "")),
            killed,
            Text(record, style="red" if event.matches and event.matches[0].discrepancies else ""),
        )
    return Group(table, *notes)
