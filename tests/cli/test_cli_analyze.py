"""The CLI end to end, as a user runs it: formats, --out, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "sample-article.txt"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "unspin", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def sample_json() -> dict[str, object]:
    result = run("analyze", str(SAMPLE), "--format", "json", "--published", "2016-09-20")
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_cli_json_has_the_contract_fields(sample_json: dict[str, object]) -> None:
    assert sample_json["schema"] == "unspin.analysis/2"
    document = sample_json["document"]
    assert isinstance(document, dict)
    assert {"text", "title", "url", "site", "published", "language", "id"} <= set(document)
    assert document["published"] == "2016-09-20"
    for field in ("techniques", "sentences", "claims", "quotes", "sources", "entities", "places", "events", "skipped"):
        assert isinstance(sample_json[field], list), field


def test_cli_json_says_what_produced_it(sample_json: dict[str, object]) -> None:
    provenance = sample_json["provenance"]
    assert isinstance(provenance, dict)
    assert provenance["unspin_version"] == sample_json["unspin_version"]
    assert provenance["detectors"]["techniques"].startswith("unspin.techniques.v")
    assert provenance["options"] == {"published": "2016-09-20"}
    assert "spacy" in provenance["models"]
    assert isinstance(sample_json["analysed_at"], str) and sample_json["analysed_at"].endswith("+00:00")
    assert sample_json["skipped"] == []  # an English article: every detector ran


def test_cli_document_id_is_the_same_on_a_second_run(sample_json: dict[str, object]) -> None:
    again = json.loads(run("analyze", str(SAMPLE), "--format", "json", "--only", "techniques").stdout)
    assert again["document"]["id"] == sample_json["document"]["id"]  # type: ignore[index]
    assert {s["detector"] for s in again["skipped"]} == {
        "entities",
        "sources",
        "subjectivity",
        "claims",
        "places",
        "dates",
        "events",
    }


def test_cli_json_offsets_index_the_document_text(sample_json: dict[str, object]) -> None:
    document = sample_json["document"]
    assert isinstance(document, dict)
    text = document["text"]
    checked = 0

    def walk(value: object) -> None:
        nonlocal checked
        if isinstance(value, dict):
            if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
                assert 0 <= value["start"] <= value["end"] <= len(text)
                if isinstance(value.get("text"), str) and value["text"]:
                    assert text[value["start"] : value["end"]] == value["text"]
                checked += 1
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk({k: v for k, v in sample_json.items() if k != "document"})
    assert checked > 0


def test_cli_text_report_and_out_file(tmp_path: Path) -> None:
    out = tmp_path / "report" / "sample.txt"
    result = run("analyze", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    report = out.read_text(encoding="utf-8")
    assert "unspin" in report and "words" in report
    assert "\x1b[" not in report  # no colour codes in files


def test_cli_html_out_file(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = run("analyze", str(SAMPLE), "--format", "html", "--out", str(out), "--only", "entities")
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_cli_stdin() -> None:
    result = run(
        "analyze", "-", "--format", "json", "--only", "entities", stdin=b"Reuters said the port in Odesa reopened."
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["document"]["source_kind"] == "stdin"


@pytest.mark.parametrize(
    ("content", "args", "code", "message"),
    [
        (None, (), 3, "no such file"),
        (b"", (), 4, "empty"),
        (b"\x00\x01\x02binary" * 100, (), 5, "binary"),
        (b"word " * 400, ("--max-bytes", "1000"), 6, "over the limit"),
        (b"<html><body><nav>menu</nav></body></html>", (), 7, "no article text"),
        (b"text", ("--only", "nonsense"), 2, "unknown detector"),
        (b"text", ("--published", "16/09/2016"), 2, "YYYY-MM-DD"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_code(
    tmp_path: Path, content: bytes | None, args: tuple[str, ...], code: int, message: str
) -> None:
    path = tmp_path / ("in.html" if content and content.startswith(b"<html") else "in.txt")
    if content is not None:
        path.write_bytes(content)
    result = run("analyze", str(path), *args)
    assert result.returncode == code, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("unspin: error:")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_private_url_refused() -> None:
    result = run("analyze", "http://127.0.0.1:1/story")
    assert result.returncode == 9
    assert "--allow-private" in result.stderr and "Traceback" not in result.stderr


def test_cli_unreachable_url() -> None:
    result = run("analyze", "https://unreachable.invalid/story", "--allow-private")
    assert result.returncode == 8
    assert "Traceback" not in result.stderr


def test_cli_non_english_warns_but_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text("Die Regierung hat am Dienstag eine neue Reform angekündigt, die im Parlament beraten wird.")
    result = run("analyze", str(path), "--only", "entities")
    assert result.returncode == 0
    assert "unspin: warning:" in result.stderr and "English" in result.stderr


def test_cli_out_file_is_not_clobbered_by_a_failed_run(tmp_path: Path) -> None:
    out = tmp_path / "keep.json"
    out.write_text("previous good report")
    result = run("analyze", str(tmp_path / "missing.txt"), "--out", str(out))
    assert result.returncode == 3
    assert out.read_text() == "previous good report"


def test_cli_techniques_list() -> None:
    result = run("techniques", "--list")
    assert result.returncode == 0
    assert "Loaded_Language" in result.stdout and "Whataboutism" in result.stdout
