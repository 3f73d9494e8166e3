"""The corpus's JSON API: `GET /api/documents` (the article list with its filters), `/api/documents/{id}` (the
stored analysis JSON of the contract), `/api/claims` (claim clusters, or `?like=` matches), `/api/stats`
(`unspin corpus stats` as JSON), `/api/failures`.

Read-only: the store is written only through analysis. Errors are JSON with the CLI's message and exit code
(`handlers.py`): a bad parameter is 422 (exit code 2), a page past the last one 400 (exit code 2), an unknown
document 404.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.responses import Response

from unspin.corpus import stats
from unspin.corpus.claims import ClaimCluster, ClaimMatch
from unspin.errors import InputNotFound
from unspin.web import corpus_data as data
from unspin.web.corpus_pages import PageNumber, claim_clusters
from unspin.web.deps import engine

router = APIRouter(prefix="/api", tags=["corpus"])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A page past the last one (exit code 2)"},
    401: {"description": "The server's token is missing or wrong"},
    422: {"description": "A bad parameter: its name and what is wrong (exit code 2)"},
}


class DocumentItem(BaseModel):
    id: str = Field(description="The document's id (a hash of its source and text)")
    title: str | None
    site: str | None
    author: str | None
    published: str | None = Field(description="Publication date, YYYY-MM-DD, when known")
    language: str | None
    url: str | None
    source: str = Field(description="Where the run read it (file, feed record, URL)")
    words: int
    techniques: int = Field(description="Technique spans in its latest analysis")
    claims: int = Field(description="Claims worth checking in its latest analysis")
    analysis: str = Field(description="The address of its analysis JSON")
    report: str = Field(description="The address of its HTML report")


class DocumentList(BaseModel):
    total: int = Field(description="Articles that pass the filters")
    page: int
    per_page: int
    pages: int
    documents: list[DocumentItem]


@router.get("/documents", response_model=DocumentList, responses=ERRORS)
def list_documents(request: Request, filters: Annotated[data.DocumentFilters, Query()]) -> dict[str, Any]:
    """The stored articles that pass the filters, newest publication first, one page at a time (each with its
    latest analysis's counts)."""
    listed = data.list_documents(engine(request), filters)
    return {
        "total": listed.total,
        "page": listed.page,
        "per_page": listed.per_page,
        "pages": listed.pages,
        "documents": [item.as_json() for item in listed.items],
    }


@router.get(
    "/documents/{document_id}",
    responses={
        200: {"description": "The analysis JSON (schema `unspin.analysis/2`)", "content": {"application/json": {}}},
        404: {"description": "No stored document with this id (exit code 3)"},
        401: ERRORS[401],
    },
    response_class=Response,
)
def get_document(request: Request, document_id: str) -> Response:
    """The latest stored analysis of a document: the analysis JSON of the DESIGN.md contract, as
    `unspin analyze --format json` writes it (re-renderable with `unspin render`)."""
    stored = data.latest_analysis_json(engine(request), document_id)
    if stored is None:
        raise InputNotFound(f"no stored document {document_id[:80]}")
    return Response(stored, media_type="application/json")


class ClaimQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    like: Annotated[
        str | None, Field(min_length=1, max_length=1000, description="Stored claims that say this, most similar first")
    ] = None
    min_articles: Annotated[int, Field(ge=2, le=1000, description="Clusters made in at least this many articles")] = 2
    limit: Annotated[int, Field(ge=1, le=500, description="At most this many clusters or matches")] = 50

    @field_validator("like")
    @classmethod
    def not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("the claim to look for is empty")
        return value


class ClaimAnswer(BaseModel):
    clusters: list[ClaimCluster] | None = Field(default=None, description="Without `like`: the claim clusters")
    matches: list[ClaimMatch] | None = Field(default=None, description="With `like`: the stored claims like it")


@router.get("/claims", response_model=ClaimAnswer, response_model_exclude_none=True, responses=ERRORS)
def claims(request: Request, query: Annotated[ClaimQuery, Query()]) -> dict[str, Any]:
    """Claims made in several stored articles (`unspin corpus claims`): each cluster with its first appearance,
    its sites in order, every variant and the variants whose numbers disagree. With `like=TEXT`, the stored
    claims that say what TEXT says instead."""
    if query.like is not None:
        from unspin.corpus.claims import claims_like

        return {"matches": claims_like(engine(request), query.like, limit=query.limit)}
    clusters = [c for c in claim_clusters(request) if c.articles >= query.min_articles]
    return {"clusters": clusters[: query.limit]}


class StatsQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    by: Annotated[
        Literal["site", "author", "month"] | None, Field(description="Group by site, author or month (or all together)")
    ] = None


@router.get("/stats", responses=ERRORS)
def corpus_stats(request: Request, query: Annotated[StatsQuery, Query()]) -> dict[str, Any]:
    """`unspin corpus stats --by …` as JSON: per group, articles, words, technique spans per 1,000 words (by
    technique too), opinion share, claims per article, quotes with and without a named source. A measure no
    article of the group was analysed for is null, never zero."""
    return {"by": query.by, "groups": stats.compute(engine(request), query.by)}


@router.get("/failures", responses=ERRORS)
def corpus_failures(request: Request, paging: Annotated[PageNumber, Query()]) -> dict[str, Any]:
    """The sources a corpus run could not analyse, with the reason (the latest for each), newest first."""
    listed = data.failures(engine(request), paging.page)
    return {
        "total": listed.total,
        "page": listed.page,
        "pages": listed.pages,
        "failures": [{"source": f.source, "reason": f.reason, "run": f.run_id, "when": f.when} for f in listed.items],
    }
