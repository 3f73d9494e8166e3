"""Shared fixtures: real inputs written by hand, the spaCy model loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

# The PostgreSQL test server and the `store_url` fixture (SQLite and PostgreSQL) of the store tests.
pytest_plugins = ["tests.postgres"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_ARTICLE = ROOT / "samples" / "sample-article.txt"


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from unspin.nlp import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_ARTICLE.read_text(encoding="utf-8")
