"""What the corpus pages and the corpus API read from the store: one query layer under both, so a filter means
the same thing on a page and in `GET /api/documents`.

Every query reads each document's latest analysis (the highest analysis id), as `unspin corpus stats` does.
Nothing here writes to the store.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Engine, Select, and_, exists, func, or_, select, text

from unspin.corpus.stats import UNKNOWN
from unspin.errors import BadOption
from unspin.store import corpus as store
from unspin.taxonomy import TECHNIQUES

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
# Quantity kinds that make "a claim with a number" (dates are quantities too, but a date is no figure to check).
NUMBER_KINDS = ("number", "money", "percent", "quantity")


def _blank_to_none(value: Any) -> Any:
    """An empty form field means "no filter" (an HTML form sends every field, filled or not)."""
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


class DocumentFilters(BaseModel):
    """The filters of the article list (page and API alike)."""

    model_config = ConfigDict(extra="forbid")

    q: Annotated[str | None, Field(max_length=200, description="Words in the title, site, URL or source")] = None
    site: Annotated[str | None, Field(max_length=300, description=f"Exactly this site ({UNKNOWN!r}: no site)")] = None
    author: Annotated[str | None, Field(max_length=500, description="Exactly this author")] = None
    date_from: Annotated[dt.date | None, Field(description="Published on or after (YYYY-MM-DD)")] = None
    date_to: Annotated[dt.date | None, Field(description="Published on or before (YYYY-MM-DD)")] = None
    technique: Annotated[str | None, Field(description="Has at least one span of this technique (PTC label)")] = None
    has_number: Annotated[bool | None, Field(description="true: has a claim with a number in it; false: has none")] = (
        None
    )
    language: Annotated[str | None, Field(max_length=16, description="Language code, e.g. en")] = None
    page: Annotated[int, Field(ge=1, le=1_000_000, description="Page number, from 1")] = 1
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE, description="Articles per page")] = DEFAULT_PER_PAGE

    _blanks = field_validator(
        "q", "site", "author", "date_from", "date_to", "technique", "has_number", "language", mode="before"
    )(_blank_to_none)

    @field_validator("technique")
    @classmethod
    def known_technique(cls, value: str | None) -> str | None:
        if value is not None and value not in TECHNIQUES:
            raise ValueError(f"unknown technique {value!r} (one of: {', '.join(TECHNIQUES)})")
        return value

    @model_validator(mode="after")
    def dates_in_order(self) -> DocumentFilters:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        return self

    def query_string(self, **changes: Any) -> str:
        """These filters (with `changes`) as a query string, for the links of a page (pagination)."""
        from urllib.parse import urlencode

        values = {**self.model_dump(exclude_defaults=True), **changes}
        pairs = [(k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in values.items() if v is not None]
        return urlencode(pairs)


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    title: str | None
    site: str | None
    author: str | None
    published: str | None
    language: str | None
    url: str | None
    source: str
    words: int
    analysis_id: int
    techniques: int
    claims: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "site": self.site,
            "author": self.author,
            "published": self.published,
            "language": self.language,
            "url": self.url,
            "source": self.source,
            "words": self.words,
            "techniques": self.techniques,
            "claims": self.claims,
            "analysis": f"/api/documents/{self.id}",
            "report": f"/corpus/documents/{self.id}",
        }


T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _latest() -> Any:
    """(document_id, aid): each document's latest analysis."""
    return (
        select(store.AnalysisRow.document_id, func.max(store.AnalysisRow.id).label("aid"))
        .group_by(store.AnalysisRow.document_id)
        .subquery("latest")
    )


def _has_number_claim(engine: Engine, analysis_id: Any, wanted: bool) -> Any:
    """SQL: the analysis has a claim with a number among its quantities (read from the stored analysis JSON,
    which alone keeps a claim's quantities)."""
    kinds = ", ".join(f"'{kind}'" for kind in NUMBER_KINDS)  # constants of this module, not user input
    if engine.dialect.name == "postgresql":
        sql = (
            "EXISTS (SELECT 1 FROM corpus_analyses a, json_array_elements(CAST(a.analysis AS json) -> 'claims') c, "
            "json_array_elements(c -> 'quantities') q "
            f"WHERE a.id = {{aid}} AND q ->> 'kind' IN ({kinds}))"
        )
    else:
        sql = (
            "EXISTS (SELECT 1 FROM corpus_analyses a, json_each(a.analysis, '$.claims') c, "
            "json_each(c.value, '$.quantities') q "
            f"WHERE a.id = {{aid}} AND json_extract(q.value, '$.kind') IN ({kinds}))"
        )
    compiled = analysis_id.compile(engine, compile_kwargs={"literal_binds": True})
    return text(("" if wanted else "NOT ") + sql.format(aid=compiled))


def _filtered(engine: Engine, filters: DocumentFilters) -> Select[Any]:
    latest = _latest()
    documents = store.DocumentRow
    query: Select[Any] = select(documents, latest.c.aid).join(latest, latest.c.document_id == documents.id)
    conditions: list[Any] = []
    if filters.q:
        conditions.append(
            or_(
                *(
                    column.icontains(filters.q, autoescape=True)
                    for column in (documents.title, documents.site, documents.url, documents.source)
                )
            )
        )
    if filters.site:
        conditions.append(documents.site.is_(None) if filters.site == UNKNOWN else documents.site == filters.site)
    if filters.author:
        conditions.append(
            documents.author.is_(None) if filters.author == UNKNOWN else documents.author == filters.author
        )
    if filters.language:
        conditions.append(func.lower(documents.language) == filters.language.lower())
    if filters.date_from:
        conditions.append(documents.published >= filters.date_from.isoformat())
    if filters.date_to:
        conditions.append(documents.published <= filters.date_to.isoformat())
    if filters.technique:
        conditions.append(
            exists().where(
                store.TechniqueRow.analysis_id == latest.c.aid, store.TechniqueRow.technique == filters.technique
            )
        )
    if filters.has_number is not None:
        conditions.append(_has_number_claim(engine, latest.c.aid, filters.has_number))
    if conditions:
        query = query.where(and_(*conditions))
    return query


def list_documents(engine: Engine, filters: DocumentFilters) -> Page[DocumentSummary]:
    """One page of the stored articles that pass `filters`, newest publication first (undated last)."""
    query = _filtered(engine, filters)
    with store.session(engine) as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        pages = max(1, math.ceil(total / filters.per_page))
        if filters.page > pages:
            raise BadOption(f"page {filters.page} is past the last page ({pages}) of {total} articles")
        documents = store.DocumentRow
        ordered = (
            query.order_by(
                documents.published.is_(None), documents.published.desc(), documents.created.desc(), documents.id
            )
            .offset((filters.page - 1) * filters.per_page)
            .limit(filters.per_page)
        )
        rows = list(s.execute(ordered))
        ids = [aid for _, aid in rows]
        techniques = _counts(s, store.TechniqueRow, ids)
        claims = _counts(s, store.ClaimRow, ids, store.ClaimRow.selected.is_(True))
    items = [
        DocumentSummary(
            id=d.id,
            title=d.title,
            site=d.site,
            author=d.author,
            published=d.published,
            language=d.language,
            url=d.url,
            source=d.source,
            words=d.words,
            analysis_id=aid,
            techniques=techniques.get(aid, 0),
            claims=claims.get(aid, 0),
        )
        for d, aid in rows
    ]
    return Page(items, total, filters.page, filters.per_page)


def _counts(s: Any, table: Any, analysis_ids: list[int], *where: Any) -> dict[int, int]:
    if not analysis_ids:
        return {}
    query = select(table.analysis_id, func.count()).where(table.analysis_id.in_(analysis_ids), *where)
    return {aid: n for aid, n in s.execute(query.group_by(table.analysis_id))}


def document_exists(engine: Engine, document_id: str) -> bool:
    with store.session(engine) as s:
        return s.get(store.DocumentRow, document_id) is not None


def latest_analysis_json(engine: Engine, document_id: str) -> str | None:
    """The stored analysis JSON (the contract's, as `unspin analyze --format json` wrote it) of a document."""
    with store.session(engine) as s:
        return s.scalar(
            select(store.AnalysisRow.analysis)
            .where(store.AnalysisRow.document_id == document_id)
            .order_by(store.AnalysisRow.id.desc())
            .limit(1)
        )


# ------------------------------------------------------------------------------------------ choices and failures


@dataclass(frozen=True)
class Choices:
    """What the list's drop-downs offer: the values present in the store."""

    sites: list[str]
    languages: list[str]
    techniques: list[tuple[str, str]]  # (label, plain name)
    total: int
    failures: int


def choices(engine: Engine) -> Choices:
    with store.session(engine) as s:
        sites = [site for site in s.scalars(select(store.DocumentRow.site).distinct()) if site]
        languages = [lang for lang in s.scalars(select(store.DocumentRow.language).distinct()) if lang]
        present = set(s.scalars(select(store.TechniqueRow.technique).distinct()))
        total = s.scalar(select(func.count()).select_from(store.DocumentRow)) or 0
        failures = s.scalar(select(func.count(func.distinct(store.FailureRow.source)))) or 0
    techniques = [(label, TECHNIQUES[label].name) for label in TECHNIQUES if label in present]
    return Choices(sorted(sites, key=str.casefold), sorted(languages), techniques, total, failures)


@dataclass(frozen=True)
class Failure:
    source: str
    reason: str
    run_id: int | None
    when: str


def failures(engine: Engine, page: int, per_page: int = DEFAULT_PER_PAGE) -> Page[Failure]:
    """The sources a run could not analyse (the latest reason for each), newest first."""
    newest = select(func.max(store.FailureRow.id).label("fid")).group_by(store.FailureRow.source).subquery("newest")
    with store.session(engine) as s:
        total = s.scalar(select(func.count()).select_from(newest)) or 0
        pages = max(1, math.ceil(total / per_page))
        if page > pages:
            raise BadOption(f"page {page} is past the last page ({pages}) of {total} failures")
        rows = s.scalars(
            select(store.FailureRow)
            .join(newest, newest.c.fid == store.FailureRow.id)
            .order_by(store.FailureRow.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        items = [Failure(f.source, f.reason, f.run_id, f.created.isoformat(sep=" ", timespec="seconds")) for f in rows]
    return Page(items, total, page, per_page)


# ------------------------------------------------------------------------------------------ sources


def articles_by_month(engine: Engine, site: str) -> list[tuple[str, int]]:
    """(YYYY-MM, articles) of one site, in order; undated articles under UNKNOWN, last."""
    condition = store.DocumentRow.site.is_(None) if site == UNKNOWN else store.DocumentRow.site == site
    with store.session(engine) as s:
        published = list(s.scalars(select(store.DocumentRow.published).where(condition)))
    counted = Counter(p[:7] if p else UNKNOWN for p in published)
    return sorted(counted.items(), key=lambda kv: (kv[0] == UNKNOWN, kv[0]))


# ------------------------------------------------------------------------------------------ events


@dataclass(frozen=True)
class CorpusEvent:
    document_id: str
    title: str | None
    site: str | None
    text: str
    action: str | None
    actor: str | None
    target: str | None
    date: str | None
    place: str | None
    lat: float | None
    lon: float | None
    deaths: int | None


class EventFilters(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Annotated[str | None, Field(max_length=40)] = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    _blanks = field_validator("action", "date_from", "date_to", mode="before")(_blank_to_none)

    @model_validator(mode="after")
    def dates_in_order(self) -> EventFilters:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        return self


MAX_EVENTS = 2_000  # drawn on one map and listed on one page


def events(engine: Engine, filters: EventFilters) -> tuple[list[CorpusEvent], int, list[str]]:
    """Events of the latest analyses (dated first, by date), at most MAX_EVENTS; with the total and the actions
    present (for the filter)."""
    latest = _latest()
    e, d = store.EventRow, store.DocumentRow
    query = select(e, d.title, d.site).join(latest, latest.c.aid == e.analysis_id).join(d, d.id == e.document_id)
    if filters.action:
        query = query.where(e.action == filters.action)
    if filters.date_from:
        query = query.where(e.date >= filters.date_from.isoformat())
    if filters.date_to:
        query = query.where(e.date <= filters.date_to.isoformat())
    with store.session(engine) as s:
        total = s.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = s.execute(query.order_by(e.date.is_(None), e.date, e.document_id, e.start).limit(MAX_EVENTS))
        found = [
            CorpusEvent(
                document_id=row.document_id,
                title=title,
                site=site,
                text=row.text,
                action=row.action,
                actor=row.actor,
                target=row.target,
                date=row.date,
                place=row.place,
                lat=row.lat,
                lon=row.lon,
                deaths=row.fatalities_high if row.fatalities_high is not None else row.fatalities_low,
            )
            for row, title, site in rows
        ]
        actions = sorted(a for a in s.scalars(select(e.action).distinct()) if a)
    return found, total, actions
