"""One validated options object for a run of the pipeline, instead of keyword lists passed down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

# What finishes within 1.5 GB of memory: a 4.96 MB text peaked at 1.73 GB, a 1 MB one at 0.80 GB (BENCHMARKS.md,
# "Scaling and bounded cost"); 3 MB comes to about 1.3 GB on that line.
DEFAULT_MAX_BYTES = 3_000_000


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    only: tuple[str, ...] = Field(default=(), description="Run just these detectors (and what they require)")
    skip: tuple[str, ...] = Field(default=(), description="Detectors not to run")
    max_bytes: int = Field(default=DEFAULT_MAX_BYTES, gt=0, description="Refuse input larger than this")
    allow_private: bool = Field(default=False, description="Allow URLs resolving to private addresses")
    published: dt.date | None = Field(default=None, description="Publication date, overriding metadata")
    records: Path | None = Field(default=None, description="UCDP GED CSV to cross-check events against")
    timeout: float = Field(default=20.0, gt=0, description="Seconds allowed for fetching a URL")
