"""The JSON contract of DESIGN.md: the analysis model, serialised as is."""

from __future__ import annotations

from unspin.analysis import Analysis


def render(analysis: Analysis, *, color: bool = False, width: int | None = None) -> str:
    return analysis.to_json(indent=2) + "\n"
