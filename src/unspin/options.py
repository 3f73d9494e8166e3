"""What to analyse (`Options`) and the machine it runs on (`Runtime`), each one validated object.

`Options` changes findings and is recorded in an analysis's provenance. `Runtime` does not change findings:
threads, where the store and caches live, where event records come from. Environment variables are read in
one place, `Runtime.from_environment`, called at the edge (the CLI); library code is handed a `Runtime`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from unspin.errors import BadOption

if TYPE_CHECKING:
    from unspin.crosscheck.sources import RecordSource

# What finishes within 1.5 GB of memory: a 4.96 MB text peaked at 1.73 GB, a 1 MB one at 0.80 GB (BENCHMARKS.md,
# "Scaling and bounded cost"); 3 MB comes to about 1.3 GB on that line.
DEFAULT_MAX_BYTES = 3_000_000
MAX_THREADS = 64
DEFAULT_STORE_PATH = Path.home() / ".local" / "share" / "unspin" / "unspin.db"
DEFAULT_CACHE_DIR = Path.home() / ".cache" / "unspin"
# Dates a news article can carry; outside them date arithmetic would leave the calendar.
EARLIEST_PUBLISHED = dt.date(1800, 1, 1)
LATEST_PUBLISHED = dt.date(2200, 12, 31)

# The environment variables `Runtime.from_environment` reads (documented in the README).
ENV_THREADS = "UNSPIN_THREADS"
ENV_STORE = "UNSPIN_STORE"
ENV_CACHE = "UNSPIN_CACHE"


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    only: tuple[str, ...] = Field(default=(), description="Run just these detectors (and what they require)")
    skip: tuple[str, ...] = Field(default=(), description="Detectors not to run")
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, gt=0, description="Refuse input larger than this")
    allow_private: bool = Field(default=False, description="Allow URLs resolving to private addresses")
    published: dt.date | None = Field(
        default=None, ge=EARLIEST_PUBLISHED, le=LATEST_PUBLISHED, description="Publication date, overriding metadata"
    )
    records: Path | None = Field(default=None, description="UCDP GED CSV to cross-check events against")
    timeout: float = Field(default=20.0, gt=0, allow_inf_nan=False, description="Seconds allowed for fetching a URL")
    strict: bool = Field(
        default=False, description="Refuse pages that are not articles or whose extracted text may be incomplete"
    )

    def __init__(self, **values: Any) -> None:
        # Bad options are the caller's mistake: one of unspin's own errors, not pydantic's.
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise BadOption(describe(exc)) from None

    def findings_options(self) -> dict[str, str]:
        """The options that change what is found, as strings (for provenance and reuse of stored analyses)."""
        chosen: dict[str, str] = {}
        if self.only:
            chosen["only"] = ",".join(self.only)
        if self.skip:
            chosen["skip"] = ",".join(self.skip)
        if self.published is not None:
            chosen["published"] = self.published.isoformat()
        if self.records is not None:
            chosen["records"] = self.records.name
        return chosen


def describe(error: ValidationError) -> str:
    """One line naming each bad option and what is wrong with it."""
    problems = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "options"
        problems.append(f"{where}: {problem['msg']}")
    return "bad option " + "; ".join(problems)


def default_threads() -> int:
    """Two threads (the project's target machine), fewer on a one-CPU machine."""
    return min(2, os.cpu_count() or 1)


def default_store_url() -> str:
    return f"sqlite:///{DEFAULT_STORE_PATH}"


@dataclass(frozen=True)
class Runtime:
    """How and where to run: never changes what is found.

    threads      inference threads a pipeline may use (thread pools belong to the pipeline, not to modules)
    store_url    SQLAlchemy URL of the store (None: the user's default SQLite file)
    cache_dir    folder for rebuildable caches (the gazetteer index)
    record_source  recorded events to cross-check against (None: events are not cross-checked)
    """

    threads: int = field(default_factory=default_threads)
    store_url: str | None = None
    cache_dir: Path = DEFAULT_CACHE_DIR
    record_source: RecordSource | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.threads, int) or not 1 <= self.threads <= MAX_THREADS:
            raise BadOption(f"threads must be a whole number from 1 to {MAX_THREADS}, not {self.threads!r}")

    @property
    def store(self) -> str:
        return self.store_url or default_store_url()

    def with_records(self, source: RecordSource | None) -> Runtime:
        return replace(self, record_source=source)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Runtime:
        """`UNSPIN_THREADS`, `UNSPIN_STORE` and `UNSPIN_CACHE`, read once, here; unset ones take the defaults."""
        env = os.environ if environ is None else environ
        threads = default_threads()
        raw_threads = env.get(ENV_THREADS, "").strip()
        if raw_threads:
            try:
                threads = int(raw_threads)
            except ValueError:
                raise BadOption(f"{ENV_THREADS} must be a whole number, not {raw_threads!r}") from None
        cache = env.get(ENV_CACHE, "").strip()
        return cls(
            threads=threads,
            store_url=env.get(ENV_STORE, "").strip() or None,
            cache_dir=Path(cache) if cache else DEFAULT_CACHE_DIR,
        )
