"""The terminal report (Rich): a summary, highlighted excerpts and tables of findings.

The summary at the top says what was analysed, what was not and why, how many findings of each kind there are,
and what to read with care. Every list cut short says how many rows it left out ("… and N more (--all shows
every one)"). Positions are paragraph and sentence numbers ("¶3 s2"). Without colour (output piped to a file),
flagged words are marked in the excerpts as `[[word]]`.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from unspin.analysis import Analysis, Quantity, TechniqueSpan
from unspin.render.findings import (
    ACTION_NOUNS,
    ALL_HINT,
    PRODUCERS,
    Locator,
    cautions,
    counts,
    event_date_label,
    more_line,
    not_analysed,
    not_analysed_text,
    plural,
    quantity_label,
    quotations,
    reliability_label,
    selected_claims,
    skip_reasons,
    technique_name,
)
from unspin.taxonomy import TECHNIQUES
from unspin.text.control import safe_line

EXCERPT_CONTEXT = 60
MAX_ROWS = 15
MARK_OPEN, MARK_CLOSE = "[[", "]]"  # flagged words in plain-text excerpts (no colour to show them)


@dataclass(frozen=True)
class View:
    """How much to show: `show_all` lifts every cut; `all_claims` lists claims outside the selected cut too."""

    color: bool = False
    show_all: bool = False
    all_claims: bool = False

    def cut(self, n: int, limit: int = MAX_ROWS) -> int:
        return n if self.show_all else min(n, limit)


def render(
    analysis: Analysis,
    *,
    color: bool = False,
    width: int | None = None,
    show_all: bool = False,
    all_claims: bool = False,
) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width or 110, highlight=False, soft_wrap=False
    )
    view = View(color=color, show_all=show_all, all_claims=all_claims or show_all)
    for part in sections(analysis, view):
        console.print(part)
        console.print()
    return buffer.getvalue()


def sections(analysis: Analysis, view: View | None = None) -> list[RenderableType]:
    view = view or View()
    parts: list[RenderableType] = [summary(analysis)]
    notes = cautions(analysis)
    if notes:
        parts.append(
            Panel(
                "\n".join(safe_line(note) for note in notes),
                title="Read with care",
                border_style="yellow",
                box=box.ROUNDED,
            )
        )
    if analysis.techniques:
        parts.append(technique_table(analysis))
        parts.append(excerpts(analysis, view))
    else:
        parts.extend(_not_analysed(analysis, "techniques", "Persuasion techniques"))
    if analysis.claims:
        parts.append(claims_table(analysis, view))
    else:
        parts.extend(_not_analysed(analysis, "claims", "Check-worthy claims"))
    if quotations(analysis):
        parts.append(quotes_table(analysis, view))
    else:
        parts.extend(_not_analysed(analysis, "quotes", "Quotes"))
    if analysis.sources:
        parts.append(sources_table(analysis, view))
    if analysis.events:
        parts.append(events_table(analysis))
    else:
        parts.extend(_not_analysed(analysis, "events", "Events"))
    return parts


def _not_analysed(analysis: Analysis, part: str, title: str) -> list[RenderableType]:
    """A section whose detector did not run says so, rather than vanishing like one that found nothing."""
    reason = not_analysed(analysis, part)
    if reason is None:
        return []
    line = Text(f"{title}: ", style="bold")
    line.append(not_analysed_text(reason), style="yellow")
    return [line]


def more(shown: int, total: int, what: str = "", hint: str = ALL_HINT) -> Text | None:
    """The line under a list cut short: '… and 82 more (--all shows every one)'."""
    line = more_line(shown, total, what, hint)
    return None if line is None else Text(line, style="italic")


def _with_more(table: Table, shown: int, total: int, what: str = "", hint: str = ALL_HINT) -> RenderableType:
    line = more(shown, total, what, hint)
    return table if line is None else Group(table, line)


def summary(analysis: Analysis) -> Panel:
    doc = analysis.document
    lines = Text()
    lines.append(safe_line(doc.title or "(untitled)"), style="bold")
    meta = [safe_line(value) for value in (doc.author, doc.site, doc.published, doc.url or doc.source) if value]
    if meta:
        lines.append("\n" + " · ".join(meta), style="dim")
    words = len(doc.text.split())
    paragraphs = len(Locator(analysis).paragraph_starts)
    opinion = sum(1 for s in analysis.sentences if s.subjective)
    read = [plural(words, "word", "words"), plural(paragraphs, "paragraph", "paragraphs")]
    if analysis.sentences:
        read.append(f"{plural(len(analysis.sentences), 'sentence', 'sentences')} ({opinion:,} opinion)")
    elif (reason := not_analysed(analysis, "sentences")) is not None:
        read.append(f"opinion sentences {not_analysed_text(reason)}")
    lines.append("\nRead: " + " · ".join(read))
    ran = [run.name for run in analysis.detectors]
    if ran:
        lines.append("\nAnalysed by: " + ", ".join(safe_line(name) for name in ran), style="dim")
    found = [str(c) for c in counts(analysis) if c.count is not None]
    lines.append("\nFound: " + safe_line(" · ".join(found)))
    claims, left_out = selected_claims(analysis, all_claims=False)
    if left_out:
        lines.append(f" ({len(claims):,} claims selected, {left_out:,} below the cut)")
    reasons = skip_reasons(analysis)
    for detector, reason in reasons.items():
        lines.append("\n" + safe_line(f"Not analysed: {detector} ({reason})"), style="yellow")
    for count in counts(analysis):  # analyses that record runs but no reasons (made before `skipped` existed)
        if count.count is None and PRODUCERS[count.part] not in reasons:
            lines.append("\n" + safe_line(f"Not analysed: {count.noun} ({count.reason})"), style="yellow")
    return Panel(lines, title="unspin", box=box.ROUNDED)


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
        # How far to trust the label travels with the spans (the model's cross-validation), shown after what it is.
        reliability = next((s.reliability for s in analysis.techniques if s.technique == label and s.reliability), None)
        if reliability is not None:
            definition += f" Model: {reliability_label(reliability)}."
        table.add_row(Text(safe_line(technique_name(label))), str(count), f"{top:.0%}", definition)
    return table


def excerpt(text: str, span: TechniqueSpan, marks: bool = False) -> Text:
    """The span in its context, the flagged words highlighted (colour) or, with `marks`, between [[ and ]]."""
    left = max(0, span.start - EXCERPT_CONTEXT)
    right = min(len(text), span.end + EXCERPT_CONTEXT)
    out = Text("…" if left else "")
    out.append(safe_line(" ".join(text[left : span.start].split(" "))))
    flagged = safe_line(text[span.start : span.end])
    if marks:
        flagged = f"{MARK_OPEN}{flagged}{MARK_CLOSE}"
    out.append(flagged, style="bold black on yellow")
    out.append(safe_line(text[span.end : right]))
    if right < len(text):
        out.append("…")
    return out


def excerpts(analysis: Analysis, view: View | None = None) -> RenderableType:
    view = view or View()
    title = "Strongest examples" if view.show_all else "Strongest examples (best first)"
    table = Table(title=title, box=box.SIMPLE, title_justify="left", show_header=True)
    table.add_column("Technique", no_wrap=True)
    table.add_column("Score", justify="right")
    table.add_column("Where", justify="right", style="dim", no_wrap=True)
    table.add_column("Excerpt", overflow="fold")
    where = Locator(analysis)
    ranked = sorted(analysis.techniques, key=lambda s: -s.score)
    shown = view.cut(len(ranked))
    for span in ranked[:shown]:
        table.add_row(
            Text(safe_line(technique_name(span.technique))),
            f"{span.score:.0%}",
            str(where.at(span.start)),
            excerpt(analysis.document.text, span, marks=not view.color),
        )
    return _with_more(table, shown, len(ranked))


def claims_table(analysis: Analysis, view: View | None = None) -> RenderableType:
    view = view or View()
    claims, below_cut = selected_claims(analysis, view.all_claims)
    title = "Check-worthy claims (best first)" if not view.all_claims else "Claims, selected or not (best first)"
    table = Table(title=title, box=box.SIMPLE, title_justify="left")
    table.add_column("Score", justify="right")
    table.add_column("Where", style="dim", no_wrap=True)
    table.add_column("Claim", overflow="fold")
    table.add_column("Quantities", overflow="fold")
    table.add_column("Source?", no_wrap=True)
    where = Locator(analysis)
    shown = view.cut(len(claims))
    for claim in claims[:shown]:
        quantities = ", ".join(_quantity(q) for q in claim.quantities)
        attributed = {True: "cited", False: "[red]unattributed[/red]", None: ""}[claim.attributed]
        score = f"{claim.checkworthiness:.0%}" + ("" if claim.selected else " (not selected)")
        table.add_row(
            score, str(where.at(claim.start)), Text(safe_line(claim.text)), Text(safe_line(quantities)), attributed
        )
    parts: list[RenderableType] = [table]
    line = more(shown, len(claims))
    if line is not None:
        parts.append(line)
    if below_cut:
        parts.append(
            Text(
                f"… and {below_cut:,} more below the cut of check-worthy claims (--all-claims lists them)",
                style="italic",
            )
        )
    return table if len(parts) == 1 else Group(*parts)


def _quantity(q: Quantity) -> str:
    """'Over 5 million (≥ 5,000,000)', 'since 2011' as '2011 (2011)' never '(2,011)'; the words alone when the
    reading adds nothing."""
    label = quantity_label(q)
    return f"{q.text} ({label})" if label and label != q.text else q.text


def quotes_table(analysis: Analysis, view: View | None = None) -> RenderableType:
    view = view or View()
    table = Table(title="Quotes", box=box.SIMPLE, title_justify="left")
    table.add_column("Where", style="dim", no_wrap=True)
    table.add_column("Speaker", no_wrap=True)
    table.add_column("Verb", style="dim")
    table.add_column("Kind", style="dim")
    table.add_column("Quote", overflow="fold")
    where = Locator(analysis)
    quotes = quotations(analysis)
    shown = view.cut(len(quotes), MAX_ROWS * 2)
    for quote in quotes[:shown]:
        table.add_row(
            str(where.at(quote.start)),
            Text(safe_line(quote.speaker or "?")),
            Text(safe_line(quote.verb or "")),
            safe_line(quote.kind),
            Text(safe_line(quote.text)),
        )
    return _with_more(table, shown, len(quotes))


def sources_table(analysis: Analysis, view: View | None = None) -> RenderableType:
    view = view or View()
    table = Table(title="Sources", box=box.SIMPLE, title_justify="left")
    table.add_column("Source")
    table.add_column("Kind", style="dim")
    table.add_column("Mentions", justify="right")
    ranked = sorted(analysis.sources, key=lambda s: -len(s.mentions))
    shown = view.cut(len(ranked), MAX_ROWS * 2)
    for source in ranked[:shown]:
        table.add_row(Text(safe_line(source.name)), safe_line(source.kind), str(len(source.mentions)))
    return _with_more(table, shown, len(ranked))


def events_table(analysis: Analysis) -> Group:
    table = Table(title="Events", box=box.SIMPLE, title_justify="left")
    for column in ("Date", "Action", "Actor", "Target", "Place", "Killed", "Record"):
        table.add_column(column, overflow="fold")
    notes: list[Text] = []
    for event in analysis.events:
        killed = ""
        if event.fatalities:
            low, high = event.fatalities.low, event.fatalities.high
            killed = (
                f"{low:,}"
                if low is not None and low == high
                else f"{low or 0:,}–{'?' if high is None else f'{high:,}'}"
            )
        record = ""
        if event.matches:
            best = event.matches[0]
            record = f"{safe_line(best.id)} ({'agrees' if not best.discrepancies else 'DISAGREES'})"
            for note in best.discrepancies:
                action = ACTION_NOUNS.get(event.action, event.action).lower()
                notes.append(Text(safe_line(f"• {event_date_label(event)}, {action}: {note}"), style="red"))
        table.add_row(
            Text(safe_line(event_date_label(event)) if event.date else ""),
            safe_line(ACTION_NOUNS.get(event.action, event.action)),
            Text(safe_line(event.actor or "")),
            Text(safe_line(event.target or "")),
            Text(safe_line(event.place or "")),
            killed,
            Text(record, style="red" if event.matches and event.matches[0].discrepancies else ""),
        )
    return Group(table, *notes)
