"""`unspin render` re-renders a saved analysis without the models; `analyze --all/--all-claims` and the new
formats end to end; a non-English article reads "not analysed", never "none found"."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "sample-article.txt"
GERMAN = (
    "Die Regierung hat am Dienstag eine neue Reform angekündigt, die im Parlament beraten wird. "
    "Kritiker nennen sie einen Verrat an den Bürgern, und die Opposition spricht von einer Schande."
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One analysis saved as JSON, and the same article rendered by `analyze` in every format."""
    folder = tmp_path_factory.mktemp("render")
    out: dict[str, Path] = {}
    for fmt in ("json", "html", "text", "md", "csv"):
        out[fmt] = folder / f"analyze.{fmt}"
        result = run("analyze", str(SAMPLE), "--published", "2016-09-20", "--format", fmt, "--out", str(out[fmt]))
        assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("fmt", ["html", "text", "md", "csv", "json"])
def test_cli_render_round_trip_is_identical(saved: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    again = tmp_path / f"render.{fmt}"
    result = run("render", str(saved["json"]), "--format", fmt, "--out", str(again))
    assert result.returncode == 0, result.stderr
    if fmt == "json":  # the same analysis, apart from when each run was made
        first, second = json.loads(saved["json"].read_text()), json.loads(again.read_text())
        assert first == second
        return
    assert again.read_text(encoding="utf-8") == saved[fmt].read_text(encoding="utf-8")


BLOCKED_IMPORTS = textwrap.dedent(
    """
    import importlib.abc, sys
    BLOCKED = ("onnxruntime", "spacy", "thinc", "tokenizers", "en_core_web_sm", "trafilatura", "unspin.models")

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.startswith(BLOCKED):
                raise ImportError("model code must not load here: " + name)
            return None

    sys.meta_path.insert(0, Block())
    from unspin.cli import app
    try:
        app(sys.argv[1:], prog_name="unspin")
    except SystemExit as done:
        loaded = sorted(m for m in sys.modules if m.startswith(BLOCKED))
        print("LOADED:", loaded, file=sys.stderr)
        raise
    """
)


@pytest.mark.parametrize("fmt", ["html", "text", "md", "csv"])
def test_cli_render_loads_no_model_code(saved: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_IMPORTS, "render", str(saved["json"]), "--format", fmt, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED: []" in result.stderr
    assert out.read_text(encoding="utf-8") == saved[fmt].read_text(encoding="utf-8")


def test_cli_render_bad_files_are_one_line_errors(tmp_path: Path) -> None:
    missing = run("render", str(tmp_path / "missing.json"))
    assert missing.returncode == 3 and missing.stderr.startswith("unspin: error:")
    other = tmp_path / "other.json"
    other.write_text('{"title": "not an analysis"}')
    wrong = run("render", str(other), "--format", "html")
    assert wrong.returncode == 14, wrong.stderr
    assert wrong.stderr.count("\n") == 1 and "is not an unspin analysis" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    unknown = run("render", str(other), "--format", "pdf")
    assert unknown.returncode == 2 and "unknown format 'pdf'" in unknown.stderr


def test_cli_unknown_format_fails_before_any_analysis() -> None:
    result = run("analyze", str(SAMPLE), "--format", "docx")
    assert result.returncode == 2 and "choose from text, json, html, md, csv" in result.stderr


def test_cli_all_and_all_claims(saved: dict[str, Path], tmp_path: Path) -> None:
    data = json.loads(saved["json"].read_text())
    data["claims"][-1]["selected"] = False  # as the claims detector's cut will do
    cut = tmp_path / "cut.json"
    cut.write_text(json.dumps(data))
    below = sum(1 for claim in data["claims"] if not claim["selected"])
    default = run("render", str(cut)).stdout
    assert f"… and {below} more below the cut of check-worthy claims (--all-claims lists them)" in default
    listed = run("render", str(cut), "--all-claims").stdout
    assert "(not selected)" in listed and "more below the cut" not in listed
    everything = run("render", str(cut), "--all").stdout
    assert "(not selected)" in everything and "--all shows every one" not in everything


def test_cli_german_article_reads_not_analysed(tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text(GERMAN, encoding="utf-8")
    saved = tmp_path / "de.json"
    result = run("analyze", str(path), "--format", "json", "--out", str(saved))
    assert result.returncode == 0, result.stderr
    skipped = {s["detector"] for s in json.loads(saved.read_text())["skipped"]}
    assert "techniques" in skipped
    text = " ".join(run("render", str(saved)).stdout.split())
    assert "technique spans" not in text and "Persuasion techniques: not analysed (" in text
    html = run("render", str(saved), "--format", "html").stdout
    assert "No persuasion technique was found" not in html and "Not analysed (the text" in html
    markdown = run("render", str(saved), "--format", "md").stdout
    assert "- Not analysed: techniques (" in markdown
    rows = list(csv.DictReader(io.StringIO(run("render", str(saved), "--format", "csv").stdout)))
    assert {r["label"] for r in rows if r["kind"] == "not_analysed"} == skipped
