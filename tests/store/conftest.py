"""Store tests use a fresh SQLite file each: passed as a URL to the library, and as UNSPIN_STORE to the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def store_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("UNSPIN_STORE", url)
    yield url
