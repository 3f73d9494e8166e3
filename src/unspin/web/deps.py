"""What a route reads from the app: its settings, its job queue, and the store's engine (opened at start)."""

from __future__ import annotations

from fastapi import Request
from sqlalchemy import Engine

from unspin.web.jobs import JobQueue
from unspin.web.settings import WebSettings


def settings_of(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def queue(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


def engine(request: Request) -> Engine:
    """The store's engine, for reading (the store is written only by the job queue, through analysis)."""
    return queue(request).engine
