"""The pages to analyse one article: a form (text, URL or file), a page that waits for the job, the report.

The form posts to `/analyse`; the analysis runs in the worker pool (`jobs`), and the browser is sent to the
job's page, which polls `/api/jobs/{id}` and opens the report once it is stored. Without script the page
refreshes itself. A form post must carry the session's CSRF token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.responses import RedirectResponse, Response

from unspin.errors import BadOption, BinaryInput, EmptyInput, InputTooLarge
from unspin.ingest import html as html_ingest
from unspin.web.deps import engine, queue, settings_of
from unspin.web.jobs import Job, Submission
from unspin.web.reports import load_analysis, report_response
from unspin.web.security import CSRF_FIELD, check_csrf
from unspin.web.templating import page

router = APIRouter(tags=["pages"], include_in_schema=False)

UPLOAD_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PASTED_TEXT = "pasted text"


def job_or_404(request: Request, job_id: str) -> Job:
    job = queue(request).get(job_id)
    if job is None:
        raise HTTPException(404, "no such analysis (the server may have been restarted; its report is in the corpus)")
    return job


@router.get("/")
def analyse_form(request: Request) -> Response:
    settings = settings_of(request)
    return page(
        request, "analyse.html", {"max_bytes": settings.max_upload_bytes, "allow_private": settings.allow_private}
    )


@router.post("/analyse")
async def analyse_submit(request: Request) -> Response:
    settings = settings_of(request)
    try:
        # Starlette caps a form field at 1 MB unless told: the article limit applies instead.
        async with request.form(max_files=1, max_fields=8, max_part_size=settings.max_upload_bytes) as form:
            csrf = form.get(CSRF_FIELD)
            check_csrf(request.scope, csrf if isinstance(csrf, str) else None)
            submission = await submission_from_form(form, settings.max_upload_bytes)
    except (MultiPartException, StarletteHTTPException) as exc:
        # Starlette reports a bad form as an HTTPException(400) (a MultiPartException outside an app).
        message = exc.message if isinstance(exc, MultiPartException) else str(exc.detail)
        if "maximum size" in message:  # the text box over the article limit
            raise InputTooLarge(f"the pasted text is over the limit of {settings.max_upload_bytes:,} bytes") from None
        raise BadOption(f"bad form ({message})") from None
    job, _ = queue(request).submit(submission)
    return RedirectResponse(f"/analyses/{job.id}", status_code=303)


async def submission_from_form(form: Any, max_bytes: int) -> Submission:
    """Exactly one of the text box, the URL field and the file upload, checked before any worker is used."""
    text = form.get("text")
    url = form.get("url")
    upload = form.get("file")
    chosen: list[Submission] = []
    if isinstance(text, str) and text.strip():
        if len(text.encode("utf-8")) > max_bytes:
            raise InputTooLarge(f"the pasted text is over the limit of {max_bytes:,} bytes")
        is_html = html_ingest.looks_like_html(text[:2048].encode("utf-8", "replace"))
        chosen.append(Submission("html" if is_html else "text", text, PASTED_TEXT))
    if isinstance(url, str) and url.strip():
        chosen.append(Submission("url", url.strip(), url.strip()))
    if isinstance(upload, UploadFile) and upload.filename:
        chosen.append(await submission_from_upload(upload, max_bytes))
    if not chosen:
        raise EmptyInput("nothing to analyse: paste a text, give a URL or choose a file")
    if len(chosen) > 1:
        raise BadOption("give one article at a time: a text, a URL or a file, not several")
    return chosen[0]


async def submission_from_upload(upload: UploadFile, max_bytes: int) -> Submission:
    name = (upload.filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise BinaryInput(f"{name} is not a text or HTML file (choose a .txt, .md, .html or .htm file)")
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLarge(f"{name} is over the limit of {max_bytes:,} bytes")
    if not data.strip():
        raise EmptyInput(f"{name} is empty")
    is_html = name.lower().endswith(HTML_SUFFIXES) or html_ingest.looks_like_html(data)
    return Submission("html" if is_html else "text", data, name)


@router.get("/analyses/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    job = job_or_404(request, job_id)
    if job.state == "done":
        return RedirectResponse(f"/analyses/{job.id}/report", status_code=303)
    return page(request, "job.html", {"job": job}, status_code=200)


@router.get("/analyses/{job_id}/report")
def job_report(request: Request, job_id: str) -> Response:
    job = job_or_404(request, job_id)
    if job.state != "done" or job.analysis_id is None:
        return RedirectResponse(f"/analyses/{job.id}", status_code=303)
    return report_response(load_analysis(engine(request), job.analysis_id))
