"""The JSON API to analyse (`POST /api/analyze`), the status of analysis jobs, and the API's docs page.

An API call is no form post: it must be `application/json` (a page elsewhere cannot send that to us without
a CORS preflight, which this app never grants), so it needs no CSRF token; a server started with `--token`
wants the token on it like on any request.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.responses import JSONResponse, Response

from unspin.analysis import Analysis
from unspin.errors import UnspinError
from unspin.web.analyse import PASTED_TEXT, job_or_404
from unspin.web.deps import queue
from unspin.web.jobs import Submission
from unspin.web.templating import page

router = APIRouter(tags=["analysis"])


class ErrorDetail(BaseModel):
    message: str = Field(description="The CLI's one-line message")
    exit_code: int | None = Field(description="The CLI's exit code for this error (README), null when none")
    type: str | None = Field(description="The kind of error (`EmptyInput`, `PrivateAddressRefused` ...)")
    status: int = Field(description="The HTTP status")


class ErrorAnswer(BaseModel):
    """Every error of the API."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": description, "model": ErrorAnswer}
    for status, description in {
        400: "Bad request (exit code 2)",
        401: "The server's token is missing or wrong",
        403: "URL resolves to a private, loopback or link-local address (exit code 9)",
        413: "Article or body over the size limit (exit code 6)",
        415: "Not JSON, or binary input (exit code 5)",
        422: "Empty input (4), no article text (7), not an article (13), or a malformed body (2)",
        502: "The URL could not be fetched (exit code 8)",
        503: "Too many analyses waiting (exit code 12)",
    }.items()
}


class AnalyzeRequest(BaseModel):
    """One article: exactly one of `text`, `html` or `url`."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="Plain text of the article")
    html: str | None = Field(default=None, description="The article's page as HTML")
    url: str | None = Field(default=None, description="An http(s) address to fetch (through the safe fetcher)")
    name: str | None = Field(default=None, max_length=200, description="How to name the source in the report")

    @model_validator(mode="after")
    def one_source(self) -> AnalyzeRequest:
        given = [value for value in (self.text, self.html, self.url) if value is not None]
        if len(given) != 1:
            raise ValueError('give exactly one of "text", "html" or "url"')
        return self


def _submission(body: AnalyzeRequest) -> Submission:
    if body.url is not None:
        return Submission("url", body.url.strip(), body.url.strip())
    if body.html is not None:
        return Submission("html", body.html, body.name or "posted HTML")
    assert body.text is not None
    return Submission("text", body.text, body.name or PASTED_TEXT)


def json_only(request: Request) -> None:
    """415 for anything but JSON, checked before the body is read as the model."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(415, "send the article as JSON (Content-Type: application/json)")


@router.post(
    "/api/analyze",
    dependencies=[Depends(json_only)],
    responses={
        200: {"model": Analysis, "description": "The analysis JSON (schema `unspin.analysis/2`)"},
        **ERROR_RESPONSES,
    },
    response_class=JSONResponse,
)
async def analyze(request: Request, body: AnalyzeRequest) -> Response:
    """Analyse one article and store the analysis; answers with the analysis JSON of the DESIGN.md contract
    (the output of `unspin analyze --format json`)."""
    job, outcome = await queue(request).run(_submission(body))
    if outcome.analysis is None:
        raise _error_of(outcome.error, outcome.exit_code, outcome.error_type)
    return Response(
        outcome.analysis.to_json(indent=None),
        media_type="application/json",
        headers={"X-Unspin-Job": job.id, "X-Unspin-Document": job.document_id or ""},
    )


def _error_of(message: str | None, exit_code: int | None, kind: str | None) -> UnspinError:
    """The worker's error as the same `UnspinError` class, so the HTTP status and body are the CLI's."""
    from unspin import errors

    cls = getattr(errors, kind or "", None)
    if not (isinstance(cls, type) and issubclass(cls, errors.UnspinError)):
        cls = errors.UnspinError
    error = cls(message or "the analysis failed")
    if exit_code is not None and error.exit_code != exit_code:
        error.exit_code = exit_code
    return error


@router.get("/api/jobs/{job_id}")
def job_status(request: Request, job_id: str) -> dict[str, Any]:
    """The status of an analysis job: `running` (with `ahead`, the analyses waiting before it for a free
    worker), `done` (with its report's address) or `failed` (with the error's message and exit code)."""
    return queue(request).status(job_or_404(request, job_id))


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> Response:
    """The API's documentation, made here from the OpenAPI schema: no script or style from elsewhere."""
    schema = request.app.openapi()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in schema.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    return page(request, "docs.html", {"schema": schema, "operations": operations})


__all__ = ["AnalyzeRequest", "router"]
