"""The pages exploring the corpus: the list of stored articles with its filters (and the failures), each
article's report, per-source pages, claim clusters, the event map and timeline.

Read-only: the store is written only through analysis (the claim clusterer's vector cache aside, which is
derived data). Routes are plain `def`s, so FastAPI runs them in its thread pool and a slow query or a
clustering never holds up the event loop. Every value from an article reaches the page through Jinja2's
autoescaping; a link is made only of an http(s) address.
"""

from __future__ import annotations

import html as html_text
import re
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Engine, func, select
from starlette.responses import HTMLResponse, RedirectResponse, Response

from unspin.corpus import stats
from unspin.store import corpus as store
from unspin.taxonomy import TECHNIQUES
from unspin.web import corpus_charts as charts
from unspin.web import corpus_data as data
from unspin.web.deps import engine
from unspin.web.reports import latest_analysis, report_response
from unspin.web.templating import page

router = APIRouter(tags=["pages"], include_in_schema=False)

CLAIM_CLUSTERS_SHOWN = 200
LIKE_LIMIT = 30


def safe_href(url: str | None) -> str | None:
    """An article's address as a link only when it is http(s): `javascript:` and `data:` stay text."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def technique_name(label: str) -> str:
    known = TECHNIQUES.get(label)
    return known.name if known else label


def _page(request: Request, name: str, context: dict[str, Any]) -> Response:
    return page(request, name, {"safe_href": safe_href, "technique_name": technique_name, **context})


# ------------------------------------------------------------------------------------------ articles


@router.get("/corpus")
def corpus_home() -> Response:
    return RedirectResponse("/corpus/documents", status_code=303)


@router.get("/corpus/documents")
def documents_page(request: Request, filters: Annotated[data.DocumentFilters, Query()]) -> Response:
    db = engine(request)
    listed = data.list_documents(db, filters)
    return _page(
        request,
        "corpus_list.html",
        {"filters": filters, "listed": listed, "choices": data.choices(db), "unknown": stats.UNKNOWN},
    )


@router.get("/corpus/documents/{document_id}")
def document_report(request: Request, document_id: str, all: bool = False) -> Response:
    """The article's report: the very HTML of `unspin analyze --format html`, from its latest analysis."""
    return report_response(latest_analysis(engine(request), document_id), show_all=all)


class PageNumber(BaseModel):
    model_config = ConfigDict(extra="forbid")
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1


@router.get("/corpus/failures")
def failures_page(request: Request, paging: Annotated[PageNumber, Query()]) -> Response:
    return _page(request, "corpus_failures.html", {"listed": data.failures(engine(request), paging.page)})


# ------------------------------------------------------------------------------------------ sources


@router.get("/corpus/sources")
def sources_page(request: Request) -> Response:
    groups = stats.compute(engine(request), "site")
    return _page(request, "corpus_sources.html", {"groups": groups, "unknown": stats.UNKNOWN})


class SourceName(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Annotated[str, Field(min_length=1, max_length=300, description="The site")]

    @field_validator("name")
    @classmethod
    def stripped(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("name the site")
        return value.strip()


@router.get("/corpus/source")
def source_page(request: Request, source: Annotated[SourceName, Query()]) -> Response:
    db = engine(request)
    found = [group for group in stats.compute(db, "site") if group["group"] == source.name]
    if not found:
        raise HTTPException(404, f"no stored article from {source.name}")
    group = found[0]
    per_thousand = group.get("techniques_per_1000_words") or {}
    technique_bars = charts.bars(
        sorted(((technique_name(k), float(v)) for k, v in per_thousand.items() if v), key=lambda kv: -kv[1]),
        digits=2,
    )
    months = data.articles_by_month(db, source.name)
    listed = data.list_documents(db, data.DocumentFilters(site=source.name, per_page=10))
    return _page(
        request,
        "corpus_source.html",
        {
            "site": source.name,
            "group": group,
            "technique_bars": technique_bars,
            "month_bars": charts.bars([(m, float(n)) for m, n in months]),
            "listed": listed,
            "list_query": data.DocumentFilters(site=source.name).query_string(),
            "unknown": stats.UNKNOWN,
        },
    )


class ReportGrouping(BaseModel):
    model_config = ConfigDict(extra="forbid")
    by: Literal["site", "month"] = "site"


# The corpus report's policy, as its template writes it first in <head> (before anything from the store).
_REPORT_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"<>]*)">')


def standalone_report(page_html: str) -> HTMLResponse:
    """A self-contained corpus report (`unspin corpus report`), served under its own policy (its scripts by
    hash, nothing loadable from anywhere) instead of the app's, with framing forbidden."""
    found = _REPORT_POLICY.search(page_html[:4096])
    if found is None:  # never serve a report whose policy we cannot read: fail closed
        raise RuntimeError("the corpus report has no Content-Security-Policy")
    policy = f"{html_text.unescape(found.group(1))}; frame-ancestors 'none'"
    return HTMLResponse(page_html, headers={"Content-Security-Policy": policy})


@router.get("/corpus/report")
def corpus_report(request: Request, grouping: Annotated[ReportGrouping, Query()]) -> Response:
    """The charts of `unspin corpus report --by site|month`: the very page the CLI writes."""
    from unspin.corpus import report

    return standalone_report(report.report_html(engine(request), by=grouping.by))


@router.get("/corpus/source/report")
def source_report(request: Request, source: Annotated[SourceName, Query()]) -> Response:
    """One site's charts by month: the page of `unspin corpus report --site NAME`."""
    from unspin.corpus import report

    db = engine(request)
    if not report.site_articles(db, source.name):
        raise HTTPException(404, f"no stored article from {source.name}")
    return standalone_report(report.report_html(db, site=source.name))


# ------------------------------------------------------------------------------------------ claims

_clusters_lock = threading.Lock()


def claim_clusters(request: Request) -> list[Any]:
    """The store's claim clusters, computed again only when an analysis was stored since (clustering reads
    every claim: once per change of the store, not once per page view)."""
    from unspin.corpus.claims import cluster_claims

    db = engine(request)
    with _clusters_lock:
        key = (str(db.url), _analyses_mark(db))
        cached = getattr(request.app.state, "corpus_claim_clusters", None)
        if cached is not None and cached[0] == key:
            clusters: list[Any] = cached[1]
            return clusters
        clusters = cluster_claims(db, min_articles=2)
        request.app.state.corpus_claim_clusters = (key, clusters)
        return clusters


def _analyses_mark(db: Engine) -> tuple[int, int]:
    with store.session(db) as s:
        count, newest = s.execute(select(func.count(), func.max(store.AnalysisRow.id))).one()
    return int(count or 0), int(newest or 0)


class ClaimSearch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    like: Annotated[str | None, Field(max_length=1000, description="Find stored claims that say this")] = None

    @field_validator("like", mode="before")
    @classmethod
    def blank(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


@router.get("/corpus/claims")
def claims_page(request: Request, search: Annotated[ClaimSearch, Query()]) -> Response:
    if search.like is not None:
        from unspin.corpus.claims import claims_like

        matches = claims_like(engine(request), search.like, limit=LIKE_LIMIT)
        return _page(request, "corpus_claims.html", {"like": search.like, "matches": matches, "clusters": None})
    clusters = claim_clusters(request)
    return _page(
        request,
        "corpus_claims.html",
        {"like": "", "matches": None, "clusters": clusters[:CLAIM_CLUSTERS_SHOWN], "total": len(clusters)},
    )


@router.get("/corpus/claims/{cluster_id}")
def claim_page(request: Request, cluster_id: str) -> Response:
    found = [c for c in claim_clusters(request) if c.id == cluster_id]
    if not found:
        raise HTTPException(404, f"no claim cluster {cluster_id[:80]} (the store may have changed; open the list)")
    cluster = found[0]
    disagreeing = {d.document_id: d for d in cluster.discrepancies}
    shown = charts.spread(
        [
            (
                v.site or stats.UNKNOWN,
                v.published,
                f"{v.site or stats.UNKNOWN}, {v.published}: {v.text}",
                f"/corpus/documents/{v.document_id}",
            )
            for v in cluster.variants
        ]
    )
    site_bars = charts.bars(
        sorted(_count(v.site or stats.UNKNOWN for v in cluster.variants).items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return _page(
        request,
        "corpus_claim.html",
        {"cluster": cluster, "disagreeing": disagreeing, "spread": shown, "site_bars": site_bars},
    )


def _count(values: Any) -> dict[str, float]:
    counted: dict[str, float] = {}
    for value in values:
        counted[value] = counted.get(value, 0.0) + 1.0
    return counted


# ------------------------------------------------------------------------------------------ events


@router.get("/corpus/events")
def events_page(request: Request, filters: Annotated[data.EventFilters, Query()]) -> Response:
    found, total, actions = data.events(engine(request), filters)
    located = [
        charts.Located(
            e.lat,
            e.lon,
            e.place or (e.action or "event"),
            f"{e.action or 'event'}{' in ' + e.place if e.place else ''} — {e.date or 'undated'}"
            f"{f', {e.deaths} dead' if e.deaths else ''} — {e.title or e.document_id}",
            f"/corpus/documents/{e.document_id}",
            float(e.deaths or 0) + 1.0,
        )
        for e in found
        if e.lat is not None and e.lon is not None
    ]
    return _page(
        request,
        "corpus_events.html",
        {
            "filters": filters,
            "events": found,
            "total": total,
            "actions": actions,
            "map": charts.event_map(located),
            "timeline": charts.timeline([e.date for e in found if e.date]),
            "undated": sum(1 for e in found if not e.date),
            "shown_limit": data.MAX_EVENTS,
        },
    )
