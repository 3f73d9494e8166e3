"""The app's Jinja2 templates (autoescaped) and what every page gets: the navigation, the CSRF token."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.responses import Response

from unspin.version import __version__

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

_CODE_SPAN = re.compile(r"`([^`]+)`")


def code_spans(text: str | None) -> Markup:
    """Text with its `backticked` spans as <code>: escaped first, so only our own tags are markup."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text or ""))))


templates = Jinja2Templates(directory=TEMPLATES)
templates.env.globals["version"] = __version__
templates.env.filters["code_spans"] = code_spans

# The navigation bar: (path, label). The corpus pages add their entries here (`web/corpus_pages.py`).
NAV: list[tuple[str, str]] = [
    ("/", "Analyse"),
    ("/corpus/documents", "Articles"),
    ("/corpus/sources", "Sources"),
    ("/corpus/claims", "Claims"),
    ("/corpus/events", "Events"),
    ("/docs", "API"),
]


def page(request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    """Render template `name` with what every page needs."""
    values = {
        "nav": NAV,
        "path": request.url.path,
        "csrf_token": request.scope.get("state", {}).get("csrf_cookie", ""),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, values, status_code=status_code)
