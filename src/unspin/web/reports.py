"""Stored analyses read back, and their reports served: the very HTML of `unspin analyze --format html`.

The report is a standalone file with its own Content-Security-Policy (hashes of its inline style and script,
`default-src 'none'`), stricter than the app's: the response carries that same policy as a header, with
framing forbidden, instead of the app's. Nothing of the report is forked here.
"""

from __future__ import annotations

import html as html_text
import re

from fastapi import HTTPException
from sqlalchemy import Engine, select
from starlette.responses import HTMLResponse

from unspin import render
from unspin.analysis import Analysis
from unspin.store import corpus as store

# The report's policy, as render/html.py writes it in the page's <head> (before anything from the article,
# all of which is escaped: no article can forge this tag).
_REPORT_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"<>]*)">')


def load_analysis(engine: Engine, analysis_id: int) -> Analysis:
    """The stored analysis of row `analysis_id` (404 when there is none)."""
    with store.session(engine) as s:
        data = s.scalar(select(store.AnalysisRow.analysis).where(store.AnalysisRow.id == analysis_id))
    if data is None:
        raise HTTPException(404, f"no stored analysis {analysis_id}")
    return Analysis.from_json(data)


def latest_analysis(engine: Engine, document_id: str) -> Analysis:
    """The newest stored analysis of document `document_id` (404 when there is none)."""
    with store.session(engine) as s:
        data = s.scalar(
            select(store.AnalysisRow.analysis)
            .where(store.AnalysisRow.document_id == document_id)
            .order_by(store.AnalysisRow.id.desc())
            .limit(1)
        )
    if data is None:
        raise HTTPException(404, f"no stored analysis of document {document_id}")
    return Analysis.from_json(data)


def report_response(analysis: Analysis, *, show_all: bool = False) -> HTMLResponse:
    """The HTML report of `analysis`, under its own Content-Security-Policy."""
    html = render.render(analysis, "html", show_all=show_all)
    found = _REPORT_CSP.search(html[:4096])
    if found is None:  # never serve a report whose policy we cannot read: fail closed
        raise RuntimeError("the HTML report has no Content-Security-Policy")
    policy = f"{html_text.unescape(found.group(1))}; frame-ancestors 'none'"
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})
