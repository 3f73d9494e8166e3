"""One validated options object for a run of the pipeline, instead of keyword lists passed down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from unspin.errors import BadOption

DEFAULT_MAX_BYTES = 5_000_000
# Dates a news article can carry; outside them date arithmetic would leave the calendar.
EARLIEST_PUBLISHED = dt.date(1800, 1, 1)
LATEST_PUBLISHED = dt.date(2200, 12, 31)


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

    def __init__(self, **values: Any) -> None:
        # Bad options are the caller's mistake: one of unspin's own errors, not pydantic's.
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise BadOption(describe(exc)) from None


def describe(error: ValidationError) -> str:
    """One line naming each bad option and what is wrong with it."""
    problems = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "options"
        problems.append(f"{where}: {problem['msg']}")
    return "bad option " + "; ".join(problems)
