"""The corpus's JSON API (`GET /api/documents`, `/api/documents/{id}`, `/api/claims`, `/api/stats`).

Reserved for the corpus-exploration work: this router is already included by `create_app`, so adding
endpoints here touches no other module. Read-only: the store is written only through analysis.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/api", tags=["corpus"])
