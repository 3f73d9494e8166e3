"""A Markdown report, for pasting into documents, issues and wikis.

The same findings as the terminal report, as Markdown: a summary (what was analysed, what was not and why,
counts, what to read with care), then techniques with their strongest excerpts (flagged words in **bold**),
claims, quotes grouped by speaker, sources, events and places. Positions are paragraph and sentence numbers
("¶3 s2"). Lists are cut as in the terminal report, each cut saying how many rows it left out; `show_all` lifts
the cuts. Every piece of article text is escaped, so an article cannot inject Markdown or HTML.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from unspin.analysis import Analysis, Quote, TechniqueSpan
from unspin.render.findings import (
    ACTION_NOUNS,
    ALL_HINT,
    PRODUCERS,
    Locator,
    cautions,
    counts,
    event_date_label,
    event_title,
    more_line,
    not_analysed,
    not_analysed_text,
    plural,
    quantity_label,
    quotations,
    selected_claims,
    skip_reasons,
    technique_name,
)
from unspin.taxonomy import TECHNIQUES

MAX_ROWS = 15
EXCERPT_CONTEXT = 60
_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!{}$])")


def md(text: str) -> str:
    """Article text made inert in Markdown: one line, every character Markdown or HTML reads escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _more(shown: int, total: int, hint: str = ALL_HINT, what: str = "") -> list[str]:
    line = more_line(shown, total, what, hint)
    return [] if line is None else ["", f"*{line}*"]


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return lines


def _excerpt(text: str, span: TechniqueSpan) -> str:
    left = max(0, span.start - EXCERPT_CONTEXT)
    right = min(len(text), span.end + EXCERPT_CONTEXT)
    flagged = md(text[span.start : span.end])
    before, after = md(text[left : span.start]), md(text[span.end : right])
    return (
        ("…" if left else "")
        + before
        + (" " if text[left : span.start][-1:].isspace() else "")
        + (f"**{flagged}**" if flagged else "")
        + (" " if text[span.end : right][:1].isspace() else "")
        + after
        + ("…" if right < len(text) else "")
    )


def _not_analysed(analysis: Analysis, part: str) -> list[str]:
    reason = not_analysed(analysis, part)
    return [f"*{md(not_analysed_text(reason)).capitalize()}.*"] if reason else []


def render(
    analysis: Analysis,
    *,
    color: bool = False,
    width: int | None = None,
    show_all: bool = False,
    all_claims: bool = False,
) -> str:
    doc = analysis.document
    text = doc.text
    where = Locator(analysis)
    all_claims = all_claims or show_all

    def cut(n: int, limit: int = MAX_ROWS) -> int:
        return n if show_all else min(n, limit)

    out: list[str] = [f"# {md(doc.title or 'Untitled article')}", ""]
    meta = [value for value in (doc.author, doc.site, doc.published, doc.url or doc.source) if value]
    if meta:
        out += [" · ".join(md(value) for value in meta), ""]
    notes = cautions(analysis)
    if notes:
        out += ["> **Read with care**", ">"] + [f"> - {md(note)}" for note in notes] + [""]

    out += ["## Summary", ""]
    opinion = sum(1 for s in analysis.sentences if s.subjective)
    read = [plural(len(text.split()), "word", "words"), plural(len(where.paragraph_starts), "paragraph", "paragraphs")]
    if analysis.sentences:
        read.append(f"{plural(len(analysis.sentences), 'sentence', 'sentences')} ({opinion:,} opinion)")
    out.append("- Read: " + " · ".join(read))
    if analysis.detectors:
        out.append("- Analysed by: " + ", ".join(md(run.name) for run in analysis.detectors))
    out.append("- Found: " + " · ".join(str(c) for c in counts(analysis) if c.count is not None))
    reasons = skip_reasons(analysis)
    for detector, reason in reasons.items():
        out.append(f"- Not analysed: {md(detector)} ({md(reason)})")
    for count in counts(analysis):
        if count.count is None and PRODUCERS[count.part] not in reasons:
            out.append(f"- Not analysed: {count.noun} ({md(count.reason or '')})")
    out.append("")

    out += ["## Persuasion techniques", ""]
    if analysis.techniques:
        per_label = Counter(t.technique for t in analysis.techniques)
        body = []
        for label, n in per_label.most_common():
            top = max(t.score for t in analysis.techniques if t.technique == label)
            definition = TECHNIQUES[label].definition if label in TECHNIQUES else ""
            body.append([md(technique_name(label)), str(n), f"{top:.0%}", md(definition)])
        out += [*_table(["Technique", "Spans", "Top score", "What it is"], body), ""]
        ranked = sorted(analysis.techniques, key=lambda t: -t.score)
        shown = cut(len(ranked))
        out += ["### Strongest examples", ""]
        body = [
            [str(where.at(t.start)), md(technique_name(t.technique)), f"{t.score:.0%}", _excerpt(text, t)]
            for t in ranked[:shown]
        ]
        out += _table(["Where", "Technique", "Score", "Excerpt"], body) + _more(shown, len(ranked))
    else:
        out += _not_analysed(analysis, "techniques") or ["No persuasion technique was found."]
    out.append("")

    out += ["## Check-worthy claims", ""]
    claims, below_cut = selected_claims(analysis, all_claims)
    if claims:
        shown = cut(len(claims))
        body = []
        for c in claims[:shown]:
            quantities = ", ".join(
                md(q.text) + (f" ({md(label)})" if (label := quantity_label(q)) and label != q.text else "")
                for q in c.quantities
            )
            source = {True: "cited", False: "**no source cited**", None: ""}[c.attributed]
            score = f"{c.checkworthiness:.0%}" + ("" if c.selected else " (not selected)")
            body.append([str(where.at(c.start)), score, md(c.text), quantities, source])
        out += _table(["Where", "Score", "Claim", "Quantities", "Source?"], body) + _more(shown, len(claims))
    if below_cut:
        out += ["", f"*… and {below_cut:,} more below the cut of check-worthy claims (--all-claims lists them)*"]
    if not analysis.claims:
        out += _not_analysed(analysis, "claims") or ["No claims were found."]
    out.append("")

    out += ["## Quotes", ""]
    shown_quotes = quotations(analysis)
    if shown_quotes:
        by_speaker: dict[str, list[Quote]] = defaultdict(list)
        for q in shown_quotes:
            by_speaker[q.speaker or ""].append(q)
        order = sorted(by_speaker, key=lambda name: (name == "", -len(by_speaker[name]), name.lower()))
        listed = 0
        limit = cut(len(shown_quotes), MAX_ROWS * 2)
        for name in order:
            if listed >= limit:
                break
            quotes = by_speaker[name]
            out += [f"### {md(name) if name else 'No speaker named'} ({len(quotes)})", ""]
            for q in quotes[: limit - listed]:
                verb = f" ({md(q.verb)})" if q.verb else ""
                kind = "" if q.kind == "direct" else f" — {q.kind}"
                out.append(f"- {where.at(q.start)}: “{md(q.text)}”{verb}{kind}")
                listed += 1
            out.append("")
        out += _more(listed, len(shown_quotes))
    else:
        out += _not_analysed(analysis, "quotes") or ["No quotes were found."]
    out.append("")

    out += ["## Sources", ""]
    if analysis.sources:
        ranked_sources = sorted(analysis.sources, key=lambda s: (-len(s.mentions), s.name.lower()))
        shown = cut(len(ranked_sources), MAX_ROWS * 2)
        body = [[md(s.name), s.kind, str(len(s.mentions))] for s in ranked_sources[:shown]]
        out += _table(["Source", "Kind", "Mentions"], body) + _more(shown, len(ranked_sources))
    else:
        out += _not_analysed(analysis, "sources") or ["No sources were found."]
    out.append("")

    out += ["## Events", ""]
    if analysis.events:
        body = []
        notes_after: list[str] = []
        for e in sorted(analysis.events, key=lambda e: (e.date is None, e.date or "", e.start)):
            record = ""
            if e.matches:
                best = e.matches[0]
                record = f"{md(best.id)} ({'disagrees' if best.discrepancies else 'agrees'})"
                action = ACTION_NOUNS.get(e.action, e.action).lower()
                notes_after += [f"- {md(event_date_label(e))}, {action}: {md(d)}" for d in best.discrepancies]
            body.append(
                [str(where.at(e.start)), md(event_date_label(e)), md(event_title(e)), md(e.place or ""), record]
            )
        out += _table(["Where", "Date", "Event", "Place", "Record"], body)
        if notes_after:
            out += ["", "Discrepancies with the records:", "", *notes_after]
    else:
        out += _not_analysed(analysis, "events") or ["No events were found."]
    out.append("")

    out += ["## Places", ""]
    if analysis.places:
        mentions = Counter((p.name, p.country or "") for p in analysis.places)
        shown = cut(len(mentions), MAX_ROWS * 2)
        body = [[md(name), md(country), str(n)] for (name, country), n in mentions.most_common()[:shown]]
        out += _table(["Place", "Country", "Mentions"], body) + _more(shown, len(mentions))
    else:
        out += _not_analysed(analysis, "places") or ["No places were found."]
    out += [
        "",
        "---",
        "",
        f"*Made by unspin {md(analysis.unspin_version)} · schema {md(analysis.schema_)}. Scores are model "
        "probabilities, not verdicts: read each passage in context.*",
        "",
    ]
    return "\n".join(out)
