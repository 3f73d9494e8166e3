"""The JSON contract of DESIGN.md: the analysis model, serialised as is."""

from __future__ import annotations

from unspin.analysis import Analysis


def render(
    analysis: Analysis,
    *,
    color: bool = False,
    width: int | None = None,
    show_all: bool = False,
    all_claims: bool = False,
) -> str:
    """The whole analysis, every claim included: JSON has no cuts to lift."""
    return analysis.to_json(indent=2) + "\n"
