"""Comparing the articles of the store: per site, author or month (or all together).

Measures: articles and words; technique spans per 1,000 words (overall and by technique); the share of
opinion sentences; selected claims per article; quotes with and without a named speaker, and the most-quoted
speakers; events (count, per article, by action, fatalities reported).

"Not analysed" is never counted as zero. Each measure reads, for every document, the latest analysis in which
its detector ran (the stored provenance names the detectors that ran; a detector skipped for a non-English
page or left out by `--only` is not in it), and divides by the articles and words of those analyses only. A
measure no article of a group could give is None. Documents count once each, whatever the number of runs.

Every figure is a SQL aggregate (GROUP BY over the finding tables joined to the documents), so the cost is
linear in the size of the store and memory grows with the number of groups, not of articles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import JSON, ColumnElement, Engine, Select, Subquery, cast, func, literal_column, select, type_coerce

from unspin.store import corpus as store

Grouping = Literal["site", "author", "month"] | None
UNKNOWN = "(unknown)"
ALL = "all"
TOP_SOURCES = 10
DETECTORS = ("techniques", "subjectivity", "claims", "sources", "events")


@dataclass
class Analysed:
    """The articles (and their words) of a group in which one detector ran."""

    articles: int = 0
    words: int = 0


@dataclass
class GroupStats:
    group: str
    articles: int = 0
    words: int = 0
    analysed: dict[str, Analysed] = field(default_factory=dict)
    technique_counts: dict[str, int] = field(default_factory=dict)
    sentences: int = 0
    opinion_sentences: int = 0
    claims: int = 0
    quotes_named: int = 0
    quotes_unnamed: int = 0
    speakers: list[tuple[str, int]] = field(default_factory=list)
    events_by_action: dict[str, int] = field(default_factory=dict)
    events_with_fatalities: int = 0
    fatalities_reported: int = 0

    def ran(self, detector: str) -> Analysed:
        return self.analysed.get(detector, Analysed())

    def as_dict(self) -> dict[str, Any]:
        techniques, subjectivity = self.ran("techniques"), self.ran("subjectivity")
        claims, sources, events = self.ran("claims"), self.ran("sources"), self.ran("events")
        event_count = sum(self.events_by_action.values())
        return {
            "group": self.group,
            "articles": self.articles,
            "words": self.words,
            "analysed": {name: self.ran(name).articles for name in DETECTORS},
            "technique_spans_per_1000_words": _rate(sum(self.technique_counts.values()), techniques.words),
            "techniques_per_1000_words": {
                name: _rate(n, techniques.words) for name, n in sorted(self.technique_counts.items())
            }
            if techniques.words
            else None,
            "technique_spans": sum(self.technique_counts.values()) if techniques.articles else None,
            "opinion_share": round(self.opinion_sentences / self.sentences, 4) if self.sentences else None,
            "sentences": self.sentences if subjectivity.articles else None,
            "claims": self.claims if claims.articles else None,
            "claims_per_article": round(self.claims / claims.articles, 3) if claims.articles else None,
            "quotes_with_named_source": self.quotes_named if sources.articles else None,
            "quotes_without_named_source": self.quotes_unnamed if sources.articles else None,
            "most_cited_sources": [{"name": name, "quotes": n} for name, n in self.speakers]
            if sources.articles
            else None,
            "events": {
                "count": event_count,
                "per_article": round(event_count / events.articles, 3),
                "by_action": dict(sorted(self.events_by_action.items(), key=lambda kv: (-kv[1], kv[0]))),
                "with_fatalities": self.events_with_fatalities,
                "fatalities_reported": self.fatalities_reported,
            }
            if events.articles
            else None,
        }


def _rate(count: int, words: int) -> float | None:
    return round(1000 * count / words, 3) if words else None


def _ran(engine: Engine, detector: str) -> ColumnElement[bool]:
    """True for an analysis whose provenance names `detector` among those that ran (JSON read in SQL)."""
    column = store.AnalysisRow.provenance
    # PostgreSQL needs a real cast of the text column; SQLite's json_extract reads text as it is (a CAST AS JSON
    # there would turn the text into a number).
    provenance = cast(column, JSON) if engine.dialect.name == "postgresql" else type_coerce(column, JSON)
    ran: ColumnElement[bool] = provenance[("detectors", detector)].as_string().is_not(None)
    return ran


def latest_analyses(engine: Engine, detector: str | None) -> Subquery:
    """(document_id, aid): each document's latest analysis (in which `detector` ran, when given)."""
    query = select(store.AnalysisRow.document_id, func.max(store.AnalysisRow.id).label("aid"))
    if detector is not None:
        query = query.where(_ran(engine, detector))
    return query.group_by(store.AnalysisRow.document_id).subquery()


def _constant(sql: str) -> ColumnElement[Any]:
    """A constant written into the SQL, not bound: PostgreSQL takes `coalesce(site, $1)` in the SELECT and
    `coalesce(site, $2)` in the GROUP BY for different expressions."""
    return literal_column(sql)


def _key(by: Grouping) -> ColumnElement[str] | None:
    document = store.DocumentRow
    unknown = _constant(f"'{UNKNOWN}'")
    if by == "site":
        return func.coalesce(document.site, unknown)
    if by == "author":
        return func.coalesce(document.author, unknown)
    if by == "month":
        return func.coalesce(func.substr(document.published, _constant("1"), _constant("7")), unknown)
    return None


class _Query:
    """Builds the grouped queries: every one starts from a latest-analysis subquery joined to its documents."""

    def __init__(self, engine: Engine, by: Grouping, site: str | None) -> None:
        self.engine, self.key, self.site = engine, _key(by), site

    def grouped(self, latest: Subquery, *columns: Any, extra: tuple[Any, ...] = ()) -> Select[Any]:
        """SELECT group, *extra, *columns FROM latest JOIN documents [WHERE site] GROUP BY group, *extra."""
        key = self.key if self.key is not None else _constant(f"'{ALL}'")
        query = (
            select(key.label("grp"), *extra, *columns)
            .select_from(latest)
            .join(store.DocumentRow, store.DocumentRow.id == latest.c.document_id)
        )
        if self.site is not None:
            query = query.where(store.DocumentRow.site == self.site)
        keys = ([self.key] if self.key is not None else []) + list(extra)
        return query.group_by(*keys) if keys else query

    def rows(self, query: Select[Any]) -> list[Any]:
        with self.engine.connect() as connection:
            return list(connection.execute(query))


def compute(engine: Engine, by: Grouping = None, *, site: str | None = None) -> list[dict[str, Any]]:
    """One row of measures per group (`site`: only that site's articles). Months run in date order; other
    groups by number of articles (most first), then name; "(unknown)" comes last."""
    q = _Query(engine, by, site)
    groups: dict[str, GroupStats] = {}

    def group(name: str) -> GroupStats:
        return groups.setdefault(name, GroupStats(name))

    words = func.coalesce(func.sum(store.DocumentRow.words), 0)
    for name, articles, total in q.rows(q.grouped(latest_analyses(engine, None), func.count(), words)):
        group(name).articles, group(name).words = articles, total
    latest = {detector: latest_analyses(engine, detector) for detector in DETECTORS}
    for detector, subquery in latest.items():
        for name, articles, total in q.rows(q.grouped(subquery, func.count(), words)):
            group(name).analysed[detector] = Analysed(articles, total)

    techniques = latest["techniques"]
    technique_rows = q.grouped(techniques, func.count(), extra=(store.TechniqueRow.technique,)).join(
        store.TechniqueRow, store.TechniqueRow.analysis_id == techniques.c.aid
    )
    for name, technique, n in q.rows(technique_rows):
        group(name).technique_counts[technique] = n

    subjectivity = latest["subjectivity"]
    sentence_rows = q.grouped(
        subjectivity, func.sum(store.AnalysisRow.sentences), func.sum(store.AnalysisRow.opinion_sentences)
    ).join(store.AnalysisRow, store.AnalysisRow.id == subjectivity.c.aid)
    for name, sentences, opinion in q.rows(sentence_rows):
        group(name).sentences, group(name).opinion_sentences = sentences or 0, opinion or 0

    claims = latest["claims"]
    claim_rows = (
        q.grouped(claims, func.count())
        .join(store.ClaimRow, store.ClaimRow.analysis_id == claims.c.aid)
        .where(store.ClaimRow.selected.is_(True))
    )
    for name, n in q.rows(claim_rows):
        group(name).claims = n

    _quotes(q, latest["sources"], group)
    _events(q, latest["events"], group)

    def order(stats: GroupStats) -> tuple[Any, ...]:
        unknown = stats.group == UNKNOWN
        return (unknown, stats.group) if by == "month" else (unknown, -stats.articles, stats.group)

    return [stats.as_dict() for stats in sorted(groups.values(), key=order)]


def _quotes(q: _Query, sources: Subquery, group: Any) -> None:
    """Quotes with and without a named speaker (titles of works in quotation marks are not quotes), and the
    most-quoted speakers of each group (a window function keeps the first TOP_SOURCES per group in SQL)."""
    quote = store.QuoteRow
    real = quote.kind != "title"
    counted = (
        q.grouped(sources, func.count(quote.speaker), func.count())
        .join(quote, quote.analysis_id == sources.c.aid)
        .where(real)
    )
    for name, named, total in q.rows(counted):
        group(name).quotes_named, group(name).quotes_unnamed = named, total - named
    partition = [q.key] if q.key is not None else []
    rank = func.row_number().over(partition_by=partition or None, order_by=(func.count().desc(), quote.speaker))
    speakers = (
        q.grouped(sources, func.count().label("n"), rank.label("rank"), extra=(quote.speaker,))
        .join(quote, quote.analysis_id == sources.c.aid)
        .where(real, quote.speaker.is_not(None))
        .subquery()
    )
    top = (
        select(speakers.c.grp, speakers.c.speaker, speakers.c.n)
        .where(speakers.c.rank <= TOP_SOURCES)
        .order_by(speakers.c.grp, speakers.c.rank)
    )
    for name, speaker, n in q.rows(top):
        group(name).speakers.append((speaker, n))


def _events(q: _Query, events: Subquery, group: Any) -> None:
    event = store.EventRow
    reported = func.coalesce(event.fatalities_low, event.fatalities_high)  # "at least": the lower bound given
    rows = q.grouped(
        events,
        func.count(),
        func.count(reported),
        func.coalesce(func.sum(reported), 0),
        extra=(func.coalesce(event.action, _constant("'other'")),),
    ).join(event, event.analysis_id == events.c.aid)
    for name, action, n, with_fatalities, fatalities in q.rows(rows):
        stats = group(name)
        stats.events_by_action[action] = stats.events_by_action.get(action, 0) + n
        stats.events_with_fatalities += with_fatalities
        stats.fatalities_reported += fatalities


def flat_rows(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The groups as flat rows for CSV: one column per technique (`per_1000_words:<technique>`), per event
    action (`events:<action>`), per detector (`analysed:<detector>`), and the most-cited sources as
    `name (quotes); ...`. Empty cells are "not analysed"; 0 is "none found"."""
    techniques = sorted({name for g in groups for name in (g["techniques_per_1000_words"] or {})})
    actions = sorted({action for g in groups for action in ((g["events"] or {}).get("by_action") or {})})
    flat = []
    for g in groups:
        row: dict[str, Any] = {
            key: value
            for key, value in g.items()
            if key not in ("techniques_per_1000_words", "analysed", "most_cited_sources", "events")
        }
        for detector, n in g["analysed"].items():
            row[f"analysed:{detector}"] = n
        per = g["techniques_per_1000_words"]
        for name in techniques:
            row[f"per_1000_words:{name}"] = None if per is None else per.get(name, 0.0)
        cited = g["most_cited_sources"]
        row["most_cited_sources"] = None if cited is None else "; ".join(f"{s['name']} ({s['quotes']})" for s in cited)
        events = g["events"]
        row["events"] = None if events is None else events["count"]
        row["events_per_article"] = None if events is None else events["per_article"]
        row["fatalities_reported"] = None if events is None else events["fatalities_reported"]
        for action in actions:
            row[f"events:{action}"] = None if events is None else events["by_action"].get(action, 0)
        flat.append(row)
    return flat
