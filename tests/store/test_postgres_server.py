"""The PostgreSQL test server's contract: where no server can be started, its tests skip and say why, unless
UNSPIN_TEST_POSTGRES=required (scripts/test.sh, CI), where they fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
USES_A_STORE = """
def test_uses_a_store(store_url):
    assert store_url.startswith(("sqlite:///", "postgresql+psycopg://"))
"""


def session_without_postgres(tmp_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_store_user.py").write_text(USES_A_STORE, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}",
        "UNSPIN_TEST_POSTGRES": mode,
        "UNSPIN_TEST_POSTGRES_BIN": str(tmp_path / "no-postgres-here"),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.postgres",
            "-p",
            "no:cacheprovider",
            "-rs",
            "-q",
            str(tmp_path / "test_store_user.py"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env=env,
    )


@pytest.mark.parametrize(
    ("mode", "outcome", "exit_code"), [("", "1 passed, 1 skipped", 0), ("required", "1 passed, 1 error", 1)]
)
def test_postgres_tests_skip_or_fail_where_no_server_can_start(
    tmp_path: Path, mode: str, outcome: str, exit_code: int
) -> None:
    result = session_without_postgres(tmp_path, mode)
    assert outcome in result.stdout and result.returncode == exit_code, result.stdout + result.stderr
    assert "no-postgres-here holds no initdb" in result.stdout
    if mode == "required":
        assert "UNSPIN_TEST_POSTGRES=required" in result.stdout
