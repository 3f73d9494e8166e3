"""The pages exploring the corpus: the list of stored articles with its filters, per-source pages, claim
clusters, the event map and timeline.

Reserved for the corpus-exploration work: this router is already included by `create_app`; add the pages'
links to `templating.NAV`. Read-only: the store is written only through analysis.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["pages"], include_in_schema=False)
