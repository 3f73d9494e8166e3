"""Store tests never touch the user's store: UNSPIN_STORE is a fresh SQLite file unless a test asks for
`store_url` (run once on SQLite, once on the test PostgreSQL server), which it then also names to the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNSPIN_STORE", f"sqlite:///{tmp_path / 'default.db'}")


@pytest.fixture
def store_url(store_url: str, isolated_store: None, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("UNSPIN_STORE", store_url)
    return store_url
