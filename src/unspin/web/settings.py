"""The web app's settings: one validated object built at the edge (the CLI) and handed to `create_app`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from unspin.errors import BadOption
from unspin.options import DEFAULT_MAX_BYTES

MAX_WORKERS = 64
# Jobs waiting for a worker beyond which a new analysis is refused (503) rather than queued without end.
DEFAULT_QUEUE_LIMIT = 64


@dataclass(frozen=True)
class WebSettings:
    """How `unspin serve` runs.

    store_url         SQLAlchemy URL of the corpus store analyses are saved to (and read from)
    token             when set, every request must carry it (header, cookie or a first `?token=`)
    allow_private     URL analysis may fetch private, loopback and link-local addresses
    workers           analysis worker processes (each loads the models once)
    max_upload_bytes  largest article accepted (pasted text, upload or fetched page); bodies above it get 413
    allowed_hosts     Host headers answered (None: any); loopback-only serving names them to stop DNS rebinding
    secret            key signing the CSRF cookie (random per start unless given)
    queue_limit       analyses waiting for a worker before new ones are refused with 503
    preload           load the models in each worker when the pool starts, not at its first analysis
    """

    store_url: str
    token: str | None = None
    allow_private: bool = False
    workers: int = 1
    max_upload_bytes: int = DEFAULT_MAX_BYTES
    allowed_hosts: tuple[str, ...] | None = None
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    queue_limit: int = DEFAULT_QUEUE_LIMIT
    preload: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.workers <= MAX_WORKERS:
            raise BadOption(f"--workers must be from 1 to {MAX_WORKERS}, not {self.workers}")
        if self.max_upload_bytes <= 0:
            raise BadOption("--max-bytes must be positive")
        if self.token is not None and len(self.token) < 8:
            raise BadOption("the token must be at least 8 characters long")
        if self.queue_limit < 1:
            raise BadOption("queue_limit must be at least 1")

    @property
    def max_body_bytes(self) -> int:
        """A request body may exceed the article limit by the form's own overhead (field names, boundaries)."""
        return self.max_upload_bytes + 64 * 1024
