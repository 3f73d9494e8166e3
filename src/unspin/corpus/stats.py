"""Comparing the articles of the store: per site, author or month (or all together).

Each measure counts only the analyses in which its detector ran (read from the stored provenance), so an
article whose techniques were not analysed (`--only claims`, a non-English page) is never counted as one with
no technique. A measure no analysis of a group could give is None, not zero. Each document counts once, by
its latest analysis.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Engine, func, select

from unspin.store import corpus as store

Grouping = Literal["site", "author", "month"] | None
UNKNOWN = "(unknown)"


@dataclass
class GroupStats:
    group: str
    articles: int = 0
    words: int = 0
    technique_words: int = 0
    technique_counts: dict[str, int] = field(default_factory=dict)
    sentences: int = 0
    opinion_sentences: int = 0
    claim_articles: int = 0
    claims: int = 0
    quote_articles: int = 0
    quotes_named: int = 0
    quotes_unnamed: int = 0

    def as_dict(self) -> dict[str, Any]:
        per_thousand = (
            {name: round(1000 * n / self.technique_words, 3) for name, n in sorted(self.technique_counts.items())}
            if self.technique_words
            else None
        )
        return {
            "group": self.group,
            "articles": self.articles,
            "words": self.words,
            "technique_spans_per_1000_words": round(1000 * sum(self.technique_counts.values()) / self.technique_words, 3)
            if self.technique_words
            else None,
            "techniques_per_1000_words": per_thousand,
            "opinion_share": round(self.opinion_sentences / self.sentences, 4) if self.sentences else None,
            "claims_per_article": round(self.claims / self.claim_articles, 3) if self.claim_articles else None,
            "quotes_with_named_source": self.quotes_named if self.quote_articles else None,
            "quotes_without_named_source": self.quotes_unnamed if self.quote_articles else None,
        }


def _group_of(by: Grouping, site: str | None, author: str | None, published: str | None) -> str:
    if by == "site":
        return site or UNKNOWN
    if by == "author":
        return author or UNKNOWN
    if by == "month":
        return published[:7] if published else UNKNOWN
    return "all"


def _per_analysis(engine: Engine, query: Any) -> dict[int, int]:
    with store.session(engine) as s:
        return {analysis_id: n for analysis_id, n in s.execute(query)}


def compute(engine: Engine, by: Grouping = None) -> list[dict[str, Any]]:
    """One row of measures per group, sorted by number of articles (most first), then name."""
    latest = (
        select(func.max(store.AnalysisRow.id).label("aid")).group_by(store.AnalysisRow.document_id).subquery()
    )
    rows = select(
        store.AnalysisRow.id, store.AnalysisRow.provenance, store.AnalysisRow.sentences,
        store.AnalysisRow.opinion_sentences, store.DocumentRow.words, store.DocumentRow.site,
        store.DocumentRow.author, store.DocumentRow.published,
    ).join(latest, latest.c.aid == store.AnalysisRow.id).join(
        store.DocumentRow, store.DocumentRow.id == store.AnalysisRow.document_id
    )
    techniques: dict[int, dict[str, int]] = defaultdict(dict)
    with store.session(engine) as s:
        counted = s.execute(
            select(store.TechniqueRow.analysis_id, store.TechniqueRow.technique, func.count()).group_by(
                store.TechniqueRow.analysis_id, store.TechniqueRow.technique
            )
        )
        for analysis_id, technique, n in counted:
            techniques[analysis_id][technique] = n
    claims = _per_analysis(
        engine,
        select(store.ClaimRow.analysis_id, func.count())
        .where(store.ClaimRow.selected.is_(True))
        .group_by(store.ClaimRow.analysis_id),
    )
    named = _per_analysis(
        engine,
        select(store.QuoteRow.analysis_id, func.count())
        .where(store.QuoteRow.speaker.is_not(None))
        .group_by(store.QuoteRow.analysis_id),
    )
    unnamed = _per_analysis(
        engine,
        select(store.QuoteRow.analysis_id, func.count())
        .where(store.QuoteRow.speaker.is_(None))
        .group_by(store.QuoteRow.analysis_id),
    )
    groups: dict[str, GroupStats] = {}
    with store.session(engine) as s:
        for analysis_id, provenance, sentences, opinion, words, site, author, published in s.execute(rows):
            ran = set(json.loads(provenance).get("detectors", {}))
            name = _group_of(by, site, author, published)
            stats = groups.setdefault(name, GroupStats(name))
            stats.articles += 1
            stats.words += words
            if "techniques" in ran:
                stats.technique_words += words
                for technique, n in techniques.get(analysis_id, {}).items():
                    stats.technique_counts[technique] = stats.technique_counts.get(technique, 0) + n
            if "subjectivity" in ran:
                stats.sentences += sentences
                stats.opinion_sentences += opinion
            if "claims" in ran:
                stats.claim_articles += 1
                stats.claims += claims.get(analysis_id, 0)
            if "sources" in ran:
                stats.quote_articles += 1
                stats.quotes_named += named.get(analysis_id, 0)
                stats.quotes_unnamed += unnamed.get(analysis_id, 0)
    ordered = sorted(groups.values(), key=lambda g: (-g.articles, g.group))
    return [group.as_dict() for group in ordered]


def flat_rows(groups: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The groups as flat rows for CSV: one column per technique (`per_1000_words:<technique>`)."""
    techniques = sorted({name for g in groups for name in (g["techniques_per_1000_words"] or {})})
    for group in groups:
        row = {k: v for k, v in group.items() if k != "techniques_per_1000_words"}
        per = group["techniques_per_1000_words"]
        for name in techniques:
            row[f"per_1000_words:{name}"] = None if per is None else per.get(name, 0.0)
        yield row
