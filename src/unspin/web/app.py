"""`create_app(settings)`: the FastAPI application behind `unspin serve`.

Routers are split by area so that each grows on its own: `analyse` (the pages to analyse one article),
`api` (`POST /api/analyze`, job status, the local API docs), `api_corpus` (the corpus's JSON API) and
`corpus_pages` (the pages exploring the corpus). Everything a page loads comes from this app (`/static`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from unspin.options import Options, Runtime
from unspin.version import __version__
from unspin.web import analyse, api, api_corpus, corpus_pages, handlers
from unspin.web.jobs import JobQueue
from unspin.web.security import SecurityMiddleware
from unspin.web.settings import WebSettings
from unspin.web.templating import STATIC

DESCRIPTION = (
    "What an article claims, whom it cites, and how it tries to persuade. `POST /api/analyze` takes "
    '`{"text"|"html"|"url": ...}` and answers with the analysis JSON of `unspin analyze --format json`. '
    'Errors are JSON: `{"error": {"message", "exit_code", "type", "status"}}`, with the CLI\'s messages '
    "and exit codes. A server started with `--token` wants it on every request: `Authorization: Bearer TOKEN`."
)


def create_app(settings: WebSettings, runtime: Runtime | None = None) -> FastAPI:
    """The app; its worker pool starts and stops with the app's lifespan (Uvicorn's, or a `TestClient`'s)."""
    runtime = replace(runtime or Runtime(), store_url=settings.store_url)
    options = Options(allow_private=settings.allow_private, max_bytes=settings.max_upload_bytes)
    jobs = JobQueue(options, runtime, settings.workers, settings.queue_limit, settings.preload)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        jobs.start()
        try:
            yield
        finally:
            jobs.close()

    # FastAPI's own /docs and /redoc load their scripts from a CDN: off; `api.py` serves docs made here.
    app = FastAPI(
        title="unspin",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.jobs = jobs
    app.state.options = options
    handlers.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(analyse.router)
    app.include_router(api.router)
    app.include_router(api_corpus.router)
    app.include_router(corpus_pages.router)
    app.add_middleware(SecurityMiddleware, settings=settings, on_bug=handlers.on_bug)
    return app
