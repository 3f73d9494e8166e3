"""Store tests use a fresh SQLite file each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _tmp_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("UNSPIN_STORE", f"sqlite:///{tmp_path / 'store.db'}")
    yield
