"""Hostile input through the CLI: escape sequences never reach the terminal, bad values get their exit codes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from unspin.crosscheck.ged import REQUIRED
from unspin.text.control import has_controls

GOOD_ROW = [
    "900001",
    "2016-09-17",
    "2016-09-17",
    "Government of Syria",
    "Civilians",
    "35.01873",
    "40.44779",
    "Al Mayadin town",
    "Syria",
    "35",
    "30",
    "48",
]
HOSTILE = {
    "id": "9001\x1b[2J",
    "side_a": "\x1b[31mGovernment of Syria\x1b[0m",
    "side_b": "Civilians\x9d0;owned\x9c",
    "where_coordinates": "\x1b]0;window title\x07Al Mayadin",
    "country": "Syria\x9b31m",
}


def run(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        input=stdin,
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
    )


def csv_file(tmp_path: Path, values: dict[str, str], name: str = "ged.csv") -> Path:
    row = dict(zip(REQUIRED, GOOD_ROW, strict=True)) | values
    path = tmp_path / name
    path.write_text(",".join(REQUIRED) + "\n" + ",".join(row[c] for c in REQUIRED) + "\n", encoding="utf-8")
    return path


def visible(output: bytes) -> str:
    return output.decode("utf-8")


def test_cli_records_list_and_stats_strip_escape_sequences(tmp_path: Path) -> None:
    env = {"UNSPIN_STORE": f"sqlite:///{tmp_path / 'store.db'}"}
    imported = run("records", "import", str(csv_file(tmp_path, HOSTILE)), env=env)
    assert imported.returncode == 0, imported.stderr
    listed = run("records", "list", env=env)
    assert listed.returncode == 0, listed.stderr
    out = visible(listed.stdout)
    assert not has_controls(out, allowed="\n\t")
    assert "Government of Syria v Civilians" in out and "Al Mayadin" in out and "window title" not in out
    stats = run("records", "stats", env=env)
    assert not has_controls(visible(stats.stdout)) and "Syria (1)" in visible(stats.stdout)


def test_cli_article_with_c1_and_escape_characters_prints_none(tmp_path: Path) -> None:
    article = (
        "Officials in Aleppo said on Monday that \x9b31mthe shelling\x9b0m had stopped.\n\n"
        "\x1b]0;owned\x07Residents said \x9d0;pwned\x9c the roads were \x1b[2Jopen again."
    )
    path = tmp_path / "story.txt"
    path.write_bytes(article.encode("utf-8"))
    result = run("analyze", str(path), "--only", "entities")
    assert result.returncode == 0, result.stderr
    assert not has_controls(visible(result.stdout))
    assert "Residents said" in visible(result.stdout) or "unspin" in visible(result.stdout)


def test_cli_error_messages_strip_control_characters_from_names(tmp_path: Path) -> None:
    result = run("analyze", str(tmp_path / "missing\x1b]0;owned\x07.txt"))
    assert result.returncode == 3
    assert not has_controls(visible(result.stderr)) and "no such file" in visible(result.stderr)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("best", "inf"),
        ("best", "1e400"),
        ("low", "nan"),
        ("high", "1" * 30),
        ("best", "²"),
        ("date_start", "0001-01-01"),
        ("date_end", "9999-12-31"),
    ],
)
def test_cli_hostile_record_values_are_bad_records(tmp_path: Path, column: str, value: str) -> None:
    env = {"UNSPIN_STORE": f"sqlite:///{tmp_path / 'store.db'}"}
    result = run("records", "import", str(csv_file(tmp_path, {column: value})), env=env)
    assert result.returncode == 10, result.stderr
    assert re.match(rb"unspin: error: .*row 1, column " + column.encode(), result.stderr)
    assert b"internal error" not in result.stderr and b"Traceback" not in result.stderr


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_cli_published_outside_the_calendar_is_a_bad_option(tmp_path: Path, date: str) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Officials said on Monday that the shelling of Aleppo had stopped two days earlier.")
    result = run("analyze", str(path), "--published", date)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(b"unspin: error: bad option published") and result.stderr.count(b"\n") == 1
