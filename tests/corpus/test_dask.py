"""`unspin corpus run --dask`: a Dask LocalCluster stores what the local pool stores, resumes the same way, and
a scheduler that is not there is one line and exit code 15, never a traceback."""

from __future__ import annotations

import json
import socket
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tests.corpus.conftest import ptc_texts
from tests.corpus.test_runner import unspin

FINDING_COLUMNS = {
    "techniques": 'document_id, start, "end", technique, score, text',
    "claims": 'document_id, start, "end", text, checkworthiness, selected, attributed',
    "quotes": 'document_id, start, "end", text, speaker, verb, kind',
    "places": 'document_id, start, "end", name, lat, lon, country, confidence',
    "events": 'document_id, start, "end", text, actor, action, target, date, place, fatalities_low, confidence',
}


def stored(database: Path) -> dict[str, Any]:
    """Everything a run stores that does not depend on when or where it ran: documents, each analysis's JSON
    without its timestamp and detector timings, and the finding rows without their row ids."""
    with sqlite3.connect(database) as connection:
        documents = sorted(
            connection.execute(
                "SELECT id, source, url, site, title, author, published, language, words FROM corpus_documents"
            )
        )
        analyses = {}
        for document, text, key in connection.execute(
            "SELECT document_id, analysis, provenance_key FROM corpus_analyses"
        ):
            analysis = json.loads(text)
            assert analysis.pop("analysed_at")
            for run in analysis["detectors"]:
                run.pop("seconds")
            analyses[document] = (key, analysis)
        findings = {
            table: sorted(connection.execute(f"SELECT {columns} FROM corpus_{table}"), key=repr)
            for table, columns in FINDING_COLUMNS.items()
        }
    return {"documents": documents, "analyses": analyses, "findings": findings}


def test_dask_local_cluster_stores_what_the_local_pool_stores_and_resumes(tmp_path: Path) -> None:
    articles = ptc_texts(4, chars=900)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in articles[:3]:
        (folder / name).write_text(text, encoding="utf-8")
    pool_db, dask_db = tmp_path / "pool.db", tmp_path / "dask.db"

    pool = unspin("corpus", "run", str(folder), "--store", f"sqlite:///{pool_db}", "--workers", "2", "--quiet")
    assert pool.returncode == 0, pool.stderr
    on_dask = unspin(
        "corpus", "run", str(folder), "--store", f"sqlite:///{dask_db}", "--workers", "2", "--dask", "local", "--quiet"
    )
    assert on_dask.returncode == 0, on_dask.stderr
    assert "stored 3, skipped 0 (already stored), failed 0" in on_dask.stderr
    assert "on the Dask LocalCluster" in on_dask.stderr
    assert "Traceback" not in on_dask.stderr

    from_pool, from_dask = stored(pool_db), stored(dask_db)
    assert len(from_dask["documents"]) == 3
    assert all(from_dask["findings"][table] for table in ("techniques", "claims", "quotes", "places"))
    assert from_dask == from_pool

    # A resumed run under Dask analyses only the article added since, and stores it once.
    name, text = articles[3]
    (folder / name).write_text(text, encoding="utf-8")
    again = unspin(
        "corpus", "run", str(folder), "--store", f"sqlite:///{dask_db}", "--workers", "1", "--dask", "local", "--quiet"
    )
    assert again.returncode == 0, again.stderr
    assert "stored 1, skipped 3 (already stored), failed 0" in again.stderr
    resumed = stored(dask_db)
    assert len(resumed["documents"]) == 4
    assert {k: v for k, v in resumed["analyses"].items() if k in from_dask["analyses"]} == from_dask["analyses"]


def test_dask_scheduler_that_does_not_answer_is_one_line_and_exit_15(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(ptc_texts(1, chars=400)[0][1], encoding="utf-8")
    with socket.socket() as probe:  # a port nothing listens on: bound, then closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    result = unspin(
        "corpus",
        "run",
        str(tmp_path / "story.txt"),
        "--store",
        f"sqlite:///{tmp_path / 's.db'}",
        "--dask",
        address,
        "--quiet",
    )
    assert result.returncode == 15
    assert result.stderr.startswith(f"unspin: error: cannot reach the Dask scheduler at {address}")
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--dask", "tcp://scheduler.example:8786", "--workers", "3"), "a cluster at an address has its own workers"),
        (("--dask", "cluster"), "--dask must be a scheduler address"),
        (("--workers", "0"), "--workers must be from 1 to 256"),
    ],
)
def test_dask_options_that_cannot_work_are_usage_errors(tmp_path: Path, options: tuple[str, ...], message: str) -> None:
    (tmp_path / "story.txt").write_text("The council met on Monday.\n", encoding="utf-8")
    result = unspin("corpus", "run", str(tmp_path / "story.txt"), "--store", f"sqlite:///{tmp_path / 's.db'}", *options)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "s.db").exists()
