"""Two writers at once: the second one is told the store is busy (exit 12), after retrying with back-off."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspin.cli import records as records_cli
from unspin.cli.main import app
from unspin.errors import StoreBusy

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def locked_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    """A store whose write lock another connection holds, as a running `records import` would."""
    path = tmp_path / "store.db"
    # SQLite's own wait before "database is locked" is shortened so the test takes a second, not minutes.
    monkeypatch.setenv("UNSPIN_STORE", f"sqlite:///{path}?timeout=0.2")
    runner = CliRunner()
    first = runner.invoke(app, ["records", "import", str(FIXTURES / "ged_sample.csv")])
    assert first.exit_code == 0, first.output
    holder = sqlite3.connect(path, timeout=0.1, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.close()


def test_cli_records_import_into_a_locked_store_is_store_busy(
    locked_store: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records_cli, "RETRY_DELAYS", (0.05, 0.1))
    result = CliRunner().invoke(app, ["records", "import", str(FIXTURES / "ged_sample.csv")])
    assert result.exit_code == StoreBusy.exit_code == 12
    assert result.output.count("store busy (another import is writing); retrying") == 2
    assert "unspin: error: store busy" in result.output and "retry" in result.output.splitlines()[-1]


def test_cli_records_import_waits_for_the_other_writer_and_succeeds(
    locked_store: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(records_cli, "RETRY_DELAYS", (0.3, 0.6, 1.2))
    releaser = threading.Timer(0.5, lambda: locked_store.execute("COMMIT"))
    releaser.start()
    began = time.monotonic()
    result = CliRunner().invoke(app, ["records", "import", str(FIXTURES / "ged_sample.csv")])
    releaser.join()
    assert result.exit_code == 0, result.output
    assert "retrying" in result.output and "5 rows read, 0 new, 5 replaced" in result.output
    assert time.monotonic() - began < 5
